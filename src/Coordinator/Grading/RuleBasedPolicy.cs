using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// A policy = its thresholds (data) + its rules (one per file). Grade: sum the category scores by weight (a zero
/// category zeroes the total when the policy says so), translate to a letter, apply every cap (the letter can only
/// go down), then the trust overlays T (not trusted) and M (name mismatch) keep the letter "ignoring trust" beside.
/// </summary>
/// <remarks>Rules that join the policy from their own file (<see cref="JoinsPolicyAttribute"/>) come after the listed
/// ones; the version is the highest of the listed version and theirs.</remarks>
public sealed class RuleBasedPolicy(string name, int version, GradingThresholds thresholds, IReadOnlyList<IGradingRule> listed,
    IReadOnlyList<string>? notes = null, IEnumerable<Type>? joinCandidates = null) : IGradingPolicy
{
    private readonly IReadOnlyList<(IGradingRule Rule, int Version)> _joined = JoiningRules.For(name, joinCandidates);

    public string Name => name;

    public int Version => _joined.Select(j => j.Version).Append(version).Max();

    public GradingThresholds Thresholds => thresholds;

    public IReadOnlyList<IGradingRule> Rules => field ??= [.. listed, .. _joined.Select(j => j.Rule)];

    /// <summary>Every endpoint with TLS; with XMPP transport caps also a STARTTLS endpoint that offered no STARTTLS,
    /// where the missing TLS is the finding (only the transport rules judge it).</summary>
    public bool Grades(GradingInput input) => input.HasTls
        || (thresholds.Transport is not null && input.Transport == TlsTransport.StartTls
            && input.Xmpp?.PreTlsFeatures?.StartTls == StartTlsSupport.NotOffered);

    public GradeResult Grade(GradingInput input)
    {
        var categories = new List<CategoryScore>();
        var caps = new List<AppliedCap>();
        var notTested = new List<string>();
        foreach (var rule in input.HasTls ? Rules : Rules.Where(r => r is ITransportRule))
        {
            switch (rule.Evaluate(input, thresholds))
            {
                case ScoreOutcome s: categories.Add(s.Score); break;
                case CapOutcome c: caps.Add(new AppliedCap(rule.Id, c.Cap, c.Reason)); break;
                case NotTestedOutcome n: notTested.Add(n.What); break;
            }
        }

        // Without all three categories (no suites seen) there is nothing to add up.
        var total = categories.Count < 3 ? 0 : categories.Sum(c => c.Score * c.Weight);
        if (thresholds.ZeroCategoryZeroesTotal && categories.Any(c => c.Score == 0))
        {
            total = 0;
        }

        total = Math.Round(total, 1);
        var letter = thresholds.Letters.First(b => total >= b.MinScore).Letter;
        foreach (var cap in caps.Where(c => !Letters.IsTrustOverlay(c.Cap)))
        {
            letter = Letters.Cap(letter, cap.Cap);
        }

        var shown = caps.Any(c => c.Cap == Letters.Untrusted) ? Letters.Untrusted
            : caps.Any(c => c.Cap == Letters.Mismatch) ? Letters.Mismatch
            : letter;
        var ordered = caps.OrderBy(c => Letters.Severity(c.Cap)).ToList();
        var allNotes = new List<string>(notes ?? []);
        if (input.ClientSimulation is null && input.HasTls)
        {
            allNotes.Add("no client simulation: rules about what clients negotiate used the accepted suites");
        }

        if (!input.HasTls)
        {
            allNotes.Add("no TLS on this endpoint: only the XMPP transport was graded");
        }
        else if (!input.Assessed)
        {
            allNotes.Add("quick scan: only the session's protocol and suite were graded");
        }

        return new GradeResult(name, Version, shown, letter, total, categories, ordered, notTested, XmppRatings.Rate(input), allNotes);
    }
}
