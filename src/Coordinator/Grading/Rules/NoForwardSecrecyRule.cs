using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>
/// B: no forward secrecy (SSL Labs guide 2009n: "no forward secrecy with reference browsers → B"). With a client
/// simulation, a simulated client that negotiates without an ephemeral key exchange; without one, no accepted suite
/// has forward secrecy (the derived <c>no_forward_secrecy</c>).
/// </summary>
public sealed class NoForwardSecrecyRule : IGradingRule
{
    public string Id => "no_forward_secrecy";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (RuleText.IsSimulated(input))
        {
            var clients = input.ClientSimulation!.Where(c => c.Outcome == SimulationOutcome.Negotiated
                && c.Protocol != TlsVersion.Tls13
                && c.KeyExchange is not (KeyExchange.Dhe or KeyExchange.Ecdhe or KeyExchange.Any)).Select(c => c.ProfileId).ToList();
            return clients.Count > 0 ? new CapOutcome("B", $"simulated clients negotiate without forward secrecy: {string.Join(", ", clients)}") : null;
        }

        return input.Has(DerivedWeakness.NoForwardSecrecy) ? new CapOutcome("B", "no accepted suite has forward secrecy") : null;
    }
}
