using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>
/// C: a 64-bit block cipher (3DES, DES, IDEA…) negotiated under TLS 1.1 or newer (SSL Labs 2018+ "3DES with modern
/// protocols", SWEET32). With a client simulation: a simulated client negotiates one. Without: at some TLS ≥ 1.1 version
/// the server either lets the client choose (client order) or puts a 64-bit suite first — written down in the reason.
/// </summary>
public sealed class Block64ModernTlsRule : IGradingRule
{
    public string Id => "block64_with_modern_tls";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (RuleText.IsSimulated(input))
        {
            var clients = input.ClientSimulation!.Where(c => c.Outcome == SimulationOutcome.Negotiated && c.Protocol >= TlsVersion.Tls11
                && c.CipherSuite is { } cs && CipherSuiteRegistry.Find(cs) is { Is64BitBlock: true }).Select(c => c.ProfileId).ToList();
            return clients.Count > 0 ? new CapOutcome("C", $"simulated clients negotiate a 64-bit block cipher at TLS 1.1+: {string.Join(", ", clients)}") : null;
        }

        var hits = input.Suites.Where(kv => kv.Key >= TlsVersion.Tls11 && kv.Value.Any(s => s.Is64BitBlock)
                && (!input.ServerOrder.Contains(kv.Key) || kv.Value[0].Is64BitBlock))
            .SelectMany(kv => kv.Value.Where(s => s.Is64BitBlock).Select(s => (kv.Key, s))).ToList();
        return hits.Count > 0
            ? new CapOutcome("C", $"64-bit block cipher negotiable at TLS 1.1+ (client order or server's first choice; no client simulation): {RuleText.Suites(hits)}")
            : null;
    }
}
