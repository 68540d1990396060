using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// Applies policies to a finished scan (never inside probes). One entry per graded endpoint and policy, plus one
/// per domain and policy (Endpoint null): a domain's grade is its worst endpoint — a client or peer may be sent to
/// any of them by SRV, so the weakest is what an attacker chooses, and the domain's result names that endpoint
/// (<see cref="GradeResult.SetBy"/>). Each policy says which endpoints it grades: the TLS-only policies skip endpoints
/// without a TLS handshake; xmppscan-2026 also grades a STARTTLS endpoint that offered no STARTTLS (F).
/// </summary>
public static class Grader
{
    public static IReadOnlyList<GradingEntry> GradeScan(ScanReport report, IReadOnlyList<IGradingPolicy> policies) =>
        [.. report.Domains.SelectMany(d => GradeDomain(d, policies))];

    public static IReadOnlyList<GradingEntry> GradeDomain(DomainReport domain, IReadOnlyList<IGradingPolicy> policies)
    {
        var entries = new List<GradingEntry>();
        var inputs = domain.Endpoints.Select(e => GradingInput.From(domain, e)).ToList();
        foreach (var policy in policies)
        {
            var results = inputs.Where(policy.Grades).Select(i => (i.Endpoint, Result: policy.Grade(i))).ToList();
            entries.AddRange(results.Select(r => new GradingEntry(domain.Domain, domain.Mode, r.Endpoint, r.Result)));
            if (results.Count > 0)
            {
                entries.Add(new GradingEntry(domain.Domain, domain.Mode, null, Worst(results)));
            }
        }

        return entries;
    }

    /// <summary>The worst endpoint: worst letter ignoring trust, T over M over a letter, lowest category scores;
    /// caps of every endpoint (prefixed with the endpoint when there are several); <see cref="GradeResult.SetBy"/> names
    /// the endpoint that set the letter (the first of equals, in discovery order).</summary>
    public static GradeResult Worst(IReadOnlyList<(string Endpoint, GradeResult Result)> results)
    {
        var setBy = SetBy(results);
        if (results.Count == 1) return results[0].Result with { SetBy = setBy };
        var first = results[0].Result;
        var ignoring = results.Select(r => r.Result.GradeIgnoringTrust).Aggregate(Letters.Worst);
        var grade = results.Any(r => r.Result.Grade == Letters.Untrusted) ? Letters.Untrusted
            : results.Any(r => r.Result.Grade == Letters.Mismatch) ? Letters.Mismatch
            : ignoring;
        var categories = results.SelectMany(r => r.Result.Categories).GroupBy(c => c.Category).Select(g => g.MinBy(c => c.Score)!).ToList();
        // The same cap with the same reason on every endpoint is said once; otherwise it names its endpoints.
        var caps = results.SelectMany(r => r.Result.Caps.Select(c => (r.Endpoint, Cap: c)))
            .GroupBy(x => (x.Cap.Rule, x.Cap.Cap, x.Cap.Reason))
            .Select(g => g.Count() == results.Count ? g.First().Cap : g.First().Cap with { Reason = $"{string.Join(", ", g.Select(x => x.Endpoint))}: {g.Key.Reason}" })
            .OrderBy(c => Letters.Severity(c.Cap)).ToList();
        return first with
        {
            Grade = grade,
            GradeIgnoringTrust = ignoring,
            Score = results.Min(r => r.Result.Score),
            Categories = categories,
            Caps = caps,
            NotTested = [.. results.SelectMany(r => r.Result.NotTested).Distinct()],
            XmppRatings = [.. results.SelectMany(r => r.Result.XmppRatings).GroupBy(x => x.Name).Select(g => g.OrderBy(x => RatingOrder(x.Level)).First())],
            Notes = [.. results.SelectMany(r => r.Result.Notes).Distinct(), "domain grade = worst of its endpoints"],
            SetBy = setBy,
        };
    }

    /// <summary>The endpoint whose letter the domain shows: T, then M, then the worst letter, then the lowest score.</summary>
    private static string SetBy(IReadOnlyList<(string Endpoint, GradeResult Result)> results) =>
        results.OrderBy(r => r.Result.Grade == Letters.Untrusted ? 0 : r.Result.Grade == Letters.Mismatch ? 1 : 2)
            .ThenByDescending(r => Letters.Rank(r.Result.GradeIgnoringTrust))
            .ThenBy(r => r.Result.Score)
            .First().Endpoint;

    private static int RatingOrder(RatingLevel level) => level switch
    {
        RatingLevel.Bad => 0,
        RatingLevel.Warning => 1,
        RatingLevel.NotTested => 2,
        RatingLevel.Good => 3,
        _ => 4,
    };
}
