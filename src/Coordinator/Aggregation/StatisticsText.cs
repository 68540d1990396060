using System.Globalization;
using XmppScanCluster.Coordinator.Output;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>Plain-text statistics for a terminal; every server-provided string (issuer, domain) goes through
/// <see cref="TerminalText.Safe"/>.</summary>
public static class StatisticsText
{
    /// <param name="census">The census's name.</param>
    /// <param name="s">The statistics.</param>
    /// <param name="depth">The census's scan depth (<c>session</c> or <c>full</c>), when known.</param>
    public static string Render(string census, CensusStatistics s, string? depth = null)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"census {TerminalText.Safe(census)} — policy {s.Policy}, region {TerminalText.Safe(s.Region)}" +
            (depth is null ? "" : $", depth {TerminalText.Safe(depth)}"));
        w.WriteLine($"results (domain × mode): {s.Results}   responding: {s.Responding}   not responding: {s.NotResponding}   " +
            $"with the TLS assessment: {s.Assessed}");
        // Protocols and suites are the assessment's: say how many of the servers that answered a ClientHello it covers.
        w.WriteLine($"assessed: {s.Assessed} of {s.Responding} responding results");
        if (s.Assessed < s.Responding)
        {
            // Say it where the numbers are read: without the enumeration, suites and forward secrecy are not counted.
            w.WriteLine($"  {s.Responding - s.Assessed} responding results have one session only: their protocols are the negotiated one, " +
                "their suites are not counted (census --depth full)");
        }

        Section(w, "grades", s.Grades);
        Section(w, "grades ignoring trust", s.GradesIgnoringTrust);
        Section(w, "trust causes", s.TrustCauses);
        Section(w, "protocols", s.Protocols);
        Section(w, "leaf keys", s.KeyTypes);
        Section(w, "features", s.Features, s.Results);
        Weaknesses(w, s.Weaknesses ?? [], s.Responding);
        Section(w, "top issuers", s.TopIssuers, numbersFirst: true);
        w.WriteLine("shared keys:");
        if (s.SharedKeys.Count == 0) w.WriteLine("  none");
        foreach (var k in s.SharedKeys)
        {
            w.WriteLine($"  {k.SpkiSha256[..Math.Min(16, k.SpkiSha256.Length)]}…  {TerminalText.Safe(string.Join(", ", k.Domains))}");
        }

        w.WriteLine("vantage disagreements:");
        if (s.Disagreements.Count == 0) w.WriteLine("  none");
        foreach (var d in s.Disagreements)
        {
            w.WriteLine($"  {TerminalText.Safe(d.Domain)} {d.Mode.ToString().ToLowerInvariant()} {TerminalText.Safe(d.Endpoint)} [{d.Kind}]: {TerminalText.Safe(d.Summary)}");
        }

        return w.ToString();
    }

    /// <summary>Each probe and derived weakness as three counts: vulnerable, safe (proven), not tested (not
    /// established: a failed or inconclusive assessment, a probe that decided nothing or did not run).</summary>
    private static void Weaknesses(StringWriter w, IReadOnlyList<WeaknessCount> counts, int responding)
    {
        w.WriteLine($"weaknesses (results of the {responding} responding):");
        w.WriteLine($"  {"",-40} {"vulnerable",10} {"safe",6} {"not tested",11}");
        if (counts.Count == 0) w.WriteLine("  none");
        foreach (var c in counts)
        {
            w.WriteLine($"  {TerminalText.Safe(Words.Label(c.Key)),-40} {c.Vulnerable,10} {c.Safe,6} {c.NotTested,11}");
        }
    }

    /// <summary>A titled list of counts in words; with <paramref name="results"/>, a count over fewer results says
    /// "of N". Labels longer than the column (issuer names) go after the numbers, so the numbers stay aligned.</summary>
    private static void Section(StringWriter w, string title, IReadOnlyList<Count> counts, int? results = null, bool numbersFirst = false)
    {
        w.WriteLine(title + ":");
        if (counts.Count == 0) w.WriteLine("  none");
        foreach (var c in counts)
        {
            var of = results is { } all && c.Of > 0 && c.Of != all ? $"  of {c.Of}" : "";
            var label = TerminalText.Safe(Words.Label(c.Key));
            var numbers = $"{c.Domains,5}  {c.Share * 100,5:0.0} %";
            w.WriteLine(numbersFirst ? $"  {numbers}  {label}{of}" : $"  {label,-40} {numbers}{of}");
        }
    }
}
