using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Tests.Reports;

namespace XmppScanCluster.Coordinator.Tests.Output;

public partial class GradeSectionTests
{
    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex Ansi();

    private static List<string> Render(bool color, params string[] suites)
    {
        var scan = ReportFixtures.Scan("CN=example.test", suites);
        return [.. new ScanTextRenderer(TextWriter.Null, policy: Policies.SslLabs2009r, color: color).Lines(scan.Domains[0])];
    }

    [Fact]
    public void GradedReport_startsWithGradeAndBars_beforeTheFacts()
    {
        var lines = Render(false, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_SHA");

        Assert.StartsWith("  Grade     C", lines[1], StringComparison.Ordinal);
        Assert.Matches("Protocol +[█░]{10} +100", lines[2]);
        var cap = lines.FindIndex(l => l.Contains("RC4 accepted", StringComparison.Ordinal));
        var suites = lines.FindIndex(l => l.Contains("TLSv1.2   ", StringComparison.Ordinal));
        Assert.InRange(cap, 2, suites);
    }

    [Fact]
    public void EveryLine_fits80Columns_withAndWithoutColour()
    {
        var suites = new[] { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DH_anon_WITH_AES_128_CBC_SHA" };
        foreach (var color in new[] { false, true })
        {
            Assert.All(Render(color, suites), l => Assert.True(Ansi().Replace(l, "").Length <= 80, $"{l.Length}: {l}"));
        }
    }

    [Fact]
    public void Colour_onlyWhenAsked()
    {
        Assert.DoesNotContain(Render(false, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), l => l.Contains('\u001b'));
        Assert.Contains(Render(true, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), l => l.Contains("\u001b[32;1mA", StringComparison.Ordinal));
    }
}
