using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

/// <summary>What the suite cards say about what their numbers are of: a census that never enumerated suites must
/// not show "0 weak suites" (a false all-clear), and shares of fewer results than the census say so.</summary>
public sealed class StatisticsHtmlTests
{
    private static CensusStatistics Compute(params RegionResult[] results) => StatisticsCalculator.Compute("test", "eu", results, results);

    private static string Card(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, id + " card missing");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void SessionOnlyCensus_suiteCardsSayNotCounted_insteadOfZero()
    {
        var sessionOnly = Endpoint("s") with { Assessment = null };
        var html = StatisticsHtml.Render(Compute(new RegionResult("eu", Domain("s.test", sessionOnly), Grade("A", "A"))));

        foreach (var id in new[] { "weak-suites", "forward-secrecy" })
        {
            var card = Card(html, id);
            Assert.Contains("Not counted", card, StringComparison.Ordinal);
            Assert.DoesNotContain("data-count", card, StringComparison.Ordinal);
        }

        Assert.Contains("data-count", Card(html, "starttls-required"), StringComparison.Ordinal);
        Assert.Contains("s2s (of 0)", Card(html, "starttls-required"), StringComparison.Ordinal);
    }

    [Fact]
    public void PartlyAssessedCensus_suiteCardsSayWhatTheyAreOf_andStartTlsRowsTheirMode()
    {
        AcceptedSuite[] rc4 = [new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, "RSA")];
        var html = StatisticsHtml.Render(Compute(
            new RegionResult("eu", Domain("rc4.test", Endpoint("r", suites: rc4)), Grade("C", "C")),
            new RegionResult("eu", Domain("ok.test", Endpoint("o")), Grade("A", "A")),
            new RegionResult("eu", Domain("s.test", Endpoint("s") with { Assessment = null }), Grade("A", "A")),
            new RegionResult("eu", Domain("ok.test", Endpoint("o")) with { Mode = XmppScanCluster.Shared.Model.XmppMode.S2S }, Grade("A", "A"))));

        var weak = Card(html, "weak-suites");
        Assert.Contains("Of the 3 results with the suite enumeration; 1 other responding result had one session only.", weak, StringComparison.Ordinal);
        Assert.Contains("data-key=\"rc4_suites\" data-count=\"1\"", weak, StringComparison.Ordinal);
        Assert.Contains("33.3 %", weak, StringComparison.Ordinal);
        var startTls = Card(html, "starttls-required");
        Assert.Contains("c2s (of 3)", startTls, StringComparison.Ordinal);
        Assert.Contains("s2s (of 1)", startTls, StringComparison.Ordinal);
    }
}
