using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>
/// C: RC4 with TLS 1.1 or newer (SSL Labs 2014 update; xmppoke warn_rc4_tls11, which through a typo only ever
/// matched TLS 1.2 — kept as data, <see cref="GradingThresholds.Rc4ModernFrom"/>). The guide judges what clients
/// negotiate: with a client simulation, a simulated client negotiating RC4 at that version; without, RC4 accepted there.
/// </summary>
public sealed class Rc4ModernTlsRule : IGradingRule
{
    public string Id => "rc4_with_modern_tls";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (RuleText.IsSimulated(input))
        {
            var clients = input.ClientSimulation!.Where(c => c.Outcome == SimulationOutcome.Negotiated && c.Protocol >= t.Rc4ModernFrom
                && c.CipherSuite is { } cs && CipherSuiteRegistry.Find(cs) is { IsRc4: true }).Select(c => c.ProfileId).ToList();
            return clients.Count > 0 ? new CapOutcome("C", $"simulated clients negotiate RC4 at {t.Rc4ModernFrom.Name()}+: {string.Join(", ", clients)}") : null;
        }

        var hits = input.AllSuites.Where(x => x.Version >= t.Rc4ModernFrom && x.Suite.IsRc4).ToList();
        return hits.Count > 0 ? new CapOutcome("C", $"RC4 accepted at {t.Rc4ModernFrom.Name()} or newer: {RuleText.Suites(hits)}") : null;
    }
}
