using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>Small helpers for rule reasons: suite lists bounded so a reason stays one readable sentence.</summary>
internal static class RuleText
{
    public static string Suites(IEnumerable<(TlsVersion Version, CipherSuiteInfo Suite)> hits, int max = 3)
    {
        var groups = hits.GroupBy(h => h.Suite.Code).OrderBy(g => g.Key).ToList();
        var shown = groups.Take(max).Select(g => g.First().Suite.IanaName + " (" + string.Join("/", g.Select(x => x.Version.Name()).Distinct()) + ")");
        var more = groups.Count > max ? $" and {groups.Count - max} more" : string.Empty;
        return string.Join(", ", shown) + more;
    }

    public static string Cert(Shared.Certificates.CertificateFacts c) => "certificate " + (c.CommonName ?? c.Subject);

    public static bool IsSimulated(GradingInput input) =>
        input.ClientSimulation is { } sim && sim.Any(c => c.Outcome == Shared.ClientSimulation.SimulationOutcome.Negotiated);
}
