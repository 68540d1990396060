using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Tests.Reports;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Output;

/// <summary>
/// Issue 13 item 2: the text report uses the width it is given (the terminal's), wraps long lines instead of cutting
/// them, and keeps 80 columns for files and pipes. The XMPP findings that used to be cut ("STARTTLS optional on c2s:
/// a client or server may s…") must be readable whole at every width.
/// </summary>
public sealed class ReportWidthTests
{
    private const string StartTlsFinding = "STARTTLS optional on c2s: a client or server may stay in plaintext";
    private const string PlainFinding = "PLAIN offered before TLS: passwords can be sent in the clear";

    /// <summary>The fixture's endpoint with STARTTLS offered but not required and PLAIN before TLS.</summary>
    private static DomainReport Strippable()
    {
        var domain = ReportFixtures.Scan("CN=example.test", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").Domains[0];
        var pre = new XmppFeatures(StartTlsSupport.Offered, ["SCRAM-SHA-1", "PLAIN"], [], false, false, []);
        var post = pre with { StartTls = StartTlsSupport.NotOffered };
        var endpoint = domain.Endpoints[0] with { Xmpp = new XmppStreamFacts("id", "example.test", "1.0", pre, post, null, true, null) };
        return domain with { Endpoints = [endpoint] };
    }

    private static List<string> Render(int? width)
    {
        var renderer = width is { } w
            ? new ScanTextRenderer(TextWriter.Null, policy: Policies.SslLabs2009r, width: w)
            : new ScanTextRenderer(TextWriter.Null, policy: Policies.SslLabs2009r);
        return [.. renderer.Lines(Strippable())];
    }

    /// <summary>The words of the report in order, whatever the wrapping: what a reader reads.</summary>
    private static string Words(IEnumerable<string> lines) => string.Join(' ', string.Join(' ', lines).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Theory]
    [InlineData(80)]
    [InlineData(160)]
    public void EveryLine_fitsTheWidth_andNoFindingIsCut(int width)
    {
        var lines = Render(width);
        Assert.All(lines, l => Assert.True(TerminalText.VisibleLength(l) <= width, $"{l.Length} > {width}: {l}"));
        Assert.DoesNotContain(lines, l => l.Contains('…'));
        var words = Words(lines);
        Assert.Contains(StartTlsFinding, words, StringComparison.Ordinal);
        Assert.Contains(PlainFinding, words, StringComparison.Ordinal);
    }

    [Fact]
    public void At160Columns_theFindingsStandOnOneLineEach()
    {
        var lines = Render(160);
        Assert.Contains(lines, l => l.Contains(StartTlsFinding, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(PlainFinding, StringComparison.Ordinal));
        Assert.Contains(lines, l => TerminalText.VisibleLength(l) > 80);
    }

    [Fact]
    public void WithoutAWidth_theLayoutIs80Columns_asForAFileOrAPipe()
    {
        Assert.Equal(Render(80), Render(null));
        Assert.Equal(80, TerminalText.WidthOf(new StringWriter()));
    }

    [Fact]
    public async Task ScanIntoAFile_writesTheWholeFindingsIn80Columns()
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-width-");
        try
        {
            var path = Path.Combine(dir.FullName, "report.txt");
            await using (var file = new StreamWriter(path))
            {
                await new ScanTextRenderer(file, policy: Policies.SslLabs2009r, width: TerminalText.WidthOf(file))
                    .RenderDomain(Strippable(), CancellationToken.None);
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.All(lines, l => Assert.True(TerminalText.VisibleLength(l) <= 80, l));
            Assert.Contains(StartTlsFinding, Words(lines), StringComparison.Ordinal);
            Assert.Contains(PlainFinding, Words(lines), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Wrap_breaksAWordLongerThanTheWidth_insteadOfCuttingIt()
    {
        var word = new string('a', 25);
        Assert.Equal([new string('a', 10), new string('a', 10), new string('a', 5)], TerminalText.Wrap(word, 10));
    }
}
