namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>One domain in one mode whose grade differs between two censuses (null: not responding, or absent).</summary>
public sealed record GradeChange(string Domain, string Mode, string? Before, string? After, string Page);

/// <summary>
/// What changed between a previous census and this one, by (domain, mode) and the <see cref="GradeStyle"/> order:
/// a result that stopped responding got worse, one that started responding improved. New and gone are results
/// present in only one of the two.
/// </summary>
public sealed record CensusComparison(
    string PreviousName,
    DateTimeOffset PreviousCreatedAt,
    IReadOnlyList<GradeChange> Improved,
    IReadOnlyList<GradeChange> Worse,
    IReadOnlyList<GradeChange> New,
    IReadOnlyList<GradeChange> Gone,
    int Unchanged)
{
    /// <summary>Compares the rows of two censuses (both graded with the same policy: like with like).</summary>
    public static CensusComparison Compare(string previousName, DateTimeOffset previousCreatedAt, IReadOnlyList<DomainRow> previous,
        IReadOnlyList<DomainRow> current)
    {
        var before = previous.ToDictionary(r => (r.Domain, r.Mode));
        var now = current.ToDictionary(r => (r.Domain, r.Mode));
        List<GradeChange> improved = [], worse = [], added = [], gone = [];
        var unchanged = 0;
        foreach (var row in current)
        {
            if (!before.TryGetValue((row.Domain, row.Mode), out var old))
            {
                added.Add(new GradeChange(row.Domain, row.Mode, null, row.Grade, row.Page));
                continue;
            }

            var delta = GradeStyle.Rank(row.Grade) - GradeStyle.Rank(old.Grade);
            var change = new GradeChange(row.Domain, row.Mode, old.Grade, row.Grade, row.Page);
            (delta < 0 ? improved : delta > 0 ? worse : null)?.Add(change);
            unchanged += delta == 0 ? 1 : 0;
        }

        gone.AddRange(previous.Where(r => !now.ContainsKey((r.Domain, r.Mode))).Select(r => new GradeChange(r.Domain, r.Mode, r.Grade, null, r.Page)));
        return new CensusComparison(previousName, previousCreatedAt, improved, worse, added, gone, unchanged);
    }
}
