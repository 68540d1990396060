using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// One weakness over the responding results: how many are vulnerable, proven safe, or not tested. A result is
/// vulnerable when one of its endpoints is; safe only when every endpoint's facts establish the absence; otherwise not
/// tested — an assessment that failed or was inconclusive, a probe that did not run or decided nothing, a census at
/// depth session — never safe without proof (issue 16).
/// </summary>
/// <param name="Key">A registered probe's id (<c>heartbleed</c>) or a derived weakness's name (<c>rc4</c>).</param>
/// <param name="Kind"><c>probe</c> or <c>derived</c>.</param>
/// <param name="Vulnerable">Results with the weakness.</param>
/// <param name="Safe">Results whose every endpoint was shown not to have it.</param>
/// <param name="NotTested">Results where that was not established.</param>
public sealed record WeaknessCount(string Key, string Kind, int Vulnerable, int Safe, int NotTested);

/// <summary>Counts <see cref="WeaknessCount"/> per registered probe (<see cref="VulnerabilityChecks"/>, its verdict
/// recomputed from the stored facts) and per <see cref="DerivedWeakness"/> (re-derived from the stored assessment, so
/// an older report whose failed assessment printed "safe" is counted as not tested too).</summary>
public static class WeaknessStatistics
{
    private enum State { Safe, NotTested, Vulnerable }

    public static IReadOnlyList<WeaknessCount> Count(IReadOnlyList<RegionResult> responding)
    {
        var endpoints = responding.Select(r => StatisticsCalculator.Handshaken(r.Report).ToList()).ToList();
        var derived = endpoints.Select(list => list.Select(Derived).ToList()).ToList();
        var counts = new List<WeaknessCount>();
        foreach (var check in VulnerabilityChecks.All)
        {
            counts.Add(Tally(check.Id, "probe", endpoints.Select(list => list.Select(e => Probe(check, e)))));
        }

        foreach (var weakness in Enum.GetValues<DerivedWeakness>())
        {
            counts.Add(Tally(VulnerabilityFacts.NameOf(weakness), "derived",
                derived.Select(list => list.Select(findings => Finding(findings, weakness)))));
        }

        return counts;
    }

    private static WeaknessCount Tally(string key, string kind, IEnumerable<IEnumerable<State>> results)
    {
        var states = results.Select(Combine).ToList();
        return new WeaknessCount(key, kind, states.Count(s => s == State.Vulnerable), states.Count(s => s == State.Safe),
            states.Count(s => s == State.NotTested));
    }

    /// <summary>One vulnerable endpoint makes the result vulnerable; one unproven endpoint keeps it from being safe.</summary>
    private static State Combine(IEnumerable<State> endpoints)
    {
        var all = endpoints.ToList();
        return all.Count == 0 ? State.NotTested : all.Max();
    }

    /// <summary>Safe and notices (a behaviour that is no weakness by itself) are proven; inconclusive and not run are not.</summary>
    private static State Probe(IVulnerabilityCheck check, EndpointReport endpoint) =>
        check.Verdict(endpoint.Vulnerabilities?.Probe(check.Id)).IsVulnerable switch
        {
            true => State.Vulnerable,
            false => State.Safe,
            null => State.NotTested,
        };

    private static IReadOnlyList<DerivedFinding>? Derived(EndpointReport endpoint) =>
        endpoint.Assessment is { } assessment ? FollowUpProbes.Derive(assessment) : null;

    private static State Finding(IReadOnlyList<DerivedFinding>? findings, DerivedWeakness weakness) =>
        findings?.FirstOrDefault(f => f.Weakness == weakness) switch
        {
            { Present: true } => State.Vulnerable,
            { NotTested: null } => State.Safe,
            _ => State.NotTested,
        };
}
