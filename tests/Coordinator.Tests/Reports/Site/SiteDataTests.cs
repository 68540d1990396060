using System.Text;
using XmppScanCluster.Coordinator.Reports.Site;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

/// <summary>The table data, downloads and comparison: untrusted text cannot break out of domains.js or into a
/// spreadsheet formula, and the comparison sorts results into improved / worse / new / gone.</summary>
public sealed class SiteDataTests
{
    private static DomainRow Row(string domain, string? grade, string? failure = null, string mode = "c2s") =>
        new(domain, mode, grade, grade, grade is null ? null : 80, grade is null ? 0 : 1, 1, grade is null ? [] : ["trusted"], true, false,
            ["TLSv1.2"], failure, SafeFileNames.For(domain));

    [Fact]
    public void DomainsJs_escapesEverythingThatCouldEndTheScript()
    {
        using var output = new MemoryStream();
        DomainsPage.WriteData(output, [Row("evil.test", null, "stream error: </script><script>window.__pwned=1</script>\u2028'&+")]);
        var js = Encoding.UTF8.GetString(output.ToArray());
        var data = js[js.IndexOf('=', StringComparison.Ordinal)..];
        foreach (var c in new[] { '<', '>', '&', '\u2028', '\u2029' })
        {
            Assert.DoesNotContain(c, data);
        }

        Assert.Contains("\\u003C/script\\u003E", data, StringComparison.Ordinal);
        Assert.EndsWith(";\n", js, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_quotesAndDefusesFormulas()
    {
        using var csv = new StringWriter();
        Downloads.WriteCsv(csv, [Row("a.test", null, "=HYPERLINK(\"http://x\")"), Row("b.test", "A", null)]);
        var lines = csv.ToString().Split("\r\n");
        Assert.StartsWith("domain,mode,grade,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",\"'=HYPERLINK(\"\"http://x\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.Equal("b.test,c2s,A,A,80,1,1,trusted,yes,no,TLSv1.2,,", lines[2]);
    }

    [Fact]
    public void Comparison_sortsChangesByGradeOrder()
    {
        var before = new[] { Row("up.test", "B"), Row("down.test", "A"), Row("same.test", "A"), Row("gone.test", "A"), Row("silent.test", "A"), Row("trust.test", "A") };
        var now = new[] { Row("up.test", "A"), Row("down.test", "C"), Row("same.test", "A"), Row("new.test", "F"), Row("silent.test", null), Row("trust.test", "T") };
        var comparison = CensusComparison.Compare("old", DateTimeOffset.UnixEpoch, before, now);
        Assert.Equal(["up.test"], comparison.Improved.Select(c => c.Domain));
        Assert.Equal(["down.test", "silent.test", "trust.test"], comparison.Worse.Select(c => c.Domain));
        Assert.Equal(["new.test"], comparison.New.Select(c => c.Domain));
        Assert.Equal(["gone.test"], comparison.Gone.Select(c => c.Domain));
        Assert.Equal(1, comparison.Unchanged);
    }
}
