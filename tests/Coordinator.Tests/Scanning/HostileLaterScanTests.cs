using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Support;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// Issue 16: servers that behave on the first connection (the session completes with a real TLS stack) and turn
/// hostile on the later ones, where the scanner's own TLS engine meets them — over STARTTLS and direct TLS.
/// Each is scanned as <c>scan a.test hostile.test b.test</c>: the process must return normally with an exit code from
/// the README, write all three domains' results, and claim neither "not supported" nor "safe" from what the
/// hostile server did not prove. Timeouts are shortened with <c>--timeout 2</c> (2 s per read, 6 s per connection);
/// the assertions never depend on time.
/// </summary>
public sealed class HostileLaterScanTests
{
    private const string Hostile = "hostile.test";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DripsHandshakeByteByByte_noCrashAllThreeWrittenNothingClaimed(bool directTls)
    {
        // Each byte arrives well within the read deadline; the connection deadline ends each attempt (the crash of
        // issue 16: an unhandled DeadlineExceededException, exit 1, no JSON, later domains never scanned).
        var scan = await ScanAsync(directTls, async (c, hello) =>
        {
            byte[] start = [0x16, 0x03, 0x03, 0x3F, 0xFF, 0x02, 0x00, 0x3F, 0xFB, 0x03, 0x03];
            for (var i = 0; i < 100; i++)
            {
                await c.SendAsync([i < start.Length ? start[i] : (byte)0]);
                await Task.Delay(300, c.Token);
            }
        });

        Assert.True(scan.HostileConnections > 0);
        var a = scan.Endpoint.GetProperty("assessment");
        Assert.All(Versions(a), p => Assert.False(Refused(p), $"{p.GetProperty("protocol")} read as refused: {p}"));
        Assert.Contains(Versions(a), p => p.GetProperty("protocol").GetString() == "TLSv1.3" && Inconclusive(p) is not null);
        AssertDerivedNotTested(scan.Endpoint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResetRightAfterTls13ServerHello_isNotTls13NotSupported(bool directTls)
    {
        var scan = await ScanAsync(directTls, async (c, hello) =>
        {
            if (ClientHello.OffersTls13(hello) && ClientHello.Suites(hello).FirstOrDefault(s => s is >= 0x1301 and <= 0x1303) is var s and not 0)
            {
                await c.SendAsync(ClientHello.ServerHello(hello, s, tls13: true));
                c.Reset();
                return;
            }

            await c.SendAsync(ClientHello.Alert(2, 40)); // fatal handshake_failure: a real refusal
        });

        var tls13 = Protocol(scan.Endpoint, "TLSv1.3");
        Assert.False(Refused(tls13), tls13.ToString());
        Assert.True(tls13.GetProperty("supported").GetBoolean() || Inconclusive(tls13) is not null, tls13.ToString());
        Assert.DoesNotContain("no_tls13", scan.Caps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WarningAlertStorm_isNoRefusal(bool directTls)
    {
        var scan = await ScanAsync(directTls, async (c, hello) =>
        {
            for (var i = 0; i < 20; i++) await c.SendAsync(ClientHello.Alert(1, 90)); // warning user_canceled
        });

        var a = scan.Endpoint.GetProperty("assessment");
        Assert.All(Versions(a), p => Assert.False(Refused(p), $"{p.GetProperty("protocol")} read as refused: {p}"));
        Assert.DoesNotContain("no_tls13", scan.Caps);
        AssertDerivedNotTested(scan.Endpoint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForgedServerHello_suiteNotOffered_isInconclusiveNotUnsupported(bool directTls)
    {
        var scan = await ScanAsync(directTls, async (c, hello) =>
        {
            var offered = ClientHello.Suites(hello);
            ushort[] candidates = [0xC02F, 0x009C, 0x002F, 0x1301, 0x1302, 0xFFEE];
            var forged = candidates.First(s => !offered.Contains(s));
            var tls13 = ClientHello.OffersTls13(hello);
            await c.SendAsync(tls13
                ? ClientHello.ServerHello(hello, forged, tls13: true)
                : [.. ClientHello.ServerHello(hello, forged, tls13: false), .. ClientHello.ServerHelloDone()]);
        });

        foreach (var version in (string[])["TLSv1.2", "TLSv1.3"])
        {
            var p = Protocol(scan.Endpoint, version);
            Assert.False(Refused(p), p.ToString());
            Assert.NotNull(Inconclusive(p));
        }

        Assert.DoesNotContain("no_tls13", scan.Caps);
        AssertDerivedNotTested(scan.Endpoint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OversizedRecordLength_derivedWeaknessesAreNotTested(bool directTls)
    {
        var scan = await ScanAsync(directTls, (c, hello) => c.SendAsync([0x16, 0x03, 0x03, 0xFF, 0xFF, 0x02, 0x00, 0x00]));

        AssertDerivedNotTested(scan.Endpoint);
        Assert.All(Versions(scan.Endpoint.GetProperty("assessment")), p => Assert.False(Refused(p), p.ToString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClosesAtOnce_isInconclusiveNotUnsupported(bool directTls)
    {
        var scan = await ScanAsync(directTls, (c, hello) => Task.CompletedTask);

        Assert.All(Versions(scan.Endpoint.GetProperty("assessment")), p => Assert.False(Refused(p), p.ToString()));
        Assert.DoesNotContain("no_tls13", scan.Caps);
        AssertDerivedNotTested(scan.Endpoint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DifferentSuiteForTheSameHello_isInconsistentNotServerOrder(bool directTls)
    {
        // Static RSA suites at TLS 1.2, lowest code first on a set's first visit, the next one on the second: the
        // enumeration sees a clean server order; only the same hello sent again shows the answers change.
        var visits = new Dictionary<string, int>();
        var scan = await ScanAsync(directTls, async (c, hello) =>
        {
            var tls13 = ClientHello.OffersTls13(hello);
            ushort[] mine = tls13 ? [0x1301, 0x1302, 0x1303] : [0x002F, 0x0035, 0x003C, 0x003D, 0x009C, 0x009D];
            var acceptable = ClientHello.Suites(hello).Where(mine.Contains).Order().ToList();
            if (acceptable.Count == 0 || (hello[0] & 0x80) != 0)
            {
                await c.SendAsync(ClientHello.Alert(2, 40));
                return;
            }

            int visit;
            lock (visits)
            {
                var key = string.Join(",", acceptable);
                visit = visits[key] = visits.GetValueOrDefault(key) + 1;
            }

            var pick = acceptable[(visit - 1) % acceptable.Count];
            await c.SendAsync(tls13
                ? ClientHello.ServerHello(hello, pick, tls13: true)
                : [.. ClientHello.ServerHello(hello, pick, tls13: false), .. ClientHello.ServerHelloDone()]);
        });

        var tls12 = Protocol(scan.Endpoint, "TLSv1.2");
        Assert.True(tls12.GetProperty("supported").GetBoolean(), tls12.ToString());
        Assert.Equal("inconsistent", tls12.GetProperty("suite_order").GetString());
    }

    /// <summary>Runs <c>scan a.test hostile.test b.test</c> against one two-faced server; asserts what every
    /// behaviour must give (exit code, JSON with all three domains, the good domains assessed) and returns the
    /// hostile domain's endpoint and how many hostile connections it met.</summary>
    private static async Task<Scan> ScanAsync(bool directTls, TwoFacedXmppServer.Hostile behaviour)
    {
        await using var server = new TwoFacedXmppServer(directTls, Hostile, behaviour);
        string[] args = ["scan", "--dns", "127.0.0.1", "--timeout", "2", "--skip", "clients", "--connect", server.Connect,
            "--json", "-", .. directTls ? ["--direct-tls"] : Array.Empty<string>(), "a.test", Hostile, "b.test"];
        var (code, stdout, stderr) = await RunCliAsync(args);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
        using var json = JsonDocument.Parse(stdout);
        var domains = json.RootElement.GetProperty("domains").EnumerateArray().ToList();
        Assert.Equal(["a.test", Hostile, "b.test"], domains.Select(d => d.GetProperty("domain").GetString()));
        foreach (var good in domains.Where(d => d.GetProperty("domain").GetString() != Hostile))
        {
            var endpoint = good.GetProperty("endpoints")[0];
            Assert.True(endpoint.TryGetProperty("assessment", out var assessment), endpoint.ToString());
            Assert.Contains(Versions(assessment), p => p.GetProperty("supported").GetBoolean());
        }

        var hostile = domains[1].GetProperty("endpoints")[0];
        Assert.Equal("TLSv1.3", hostile.GetProperty("tls").GetProperty("protocol").GetString()); // the first connection was normal
        var caps = json.RootElement.TryGetProperty("gradings", out var gradings)
            ? gradings.EnumerateArray()
                .Where(g => g.GetProperty("domain").GetString() == Hostile)
                .SelectMany(g => g.GetProperty("result").GetProperty("caps").EnumerateArray())
                .Select(c => c.GetProperty("rule").GetString()!).ToList()
            : [];
        return new Scan(hostile.Clone(), caps, server.HostileConnections);
    }

    private sealed record Scan(JsonElement Endpoint, IReadOnlyList<string> Caps, int HostileConnections);

    private static IEnumerable<JsonElement> Versions(JsonElement assessment) =>
        assessment.GetProperty("protocols").EnumerateArray().Where(p => p.GetProperty("protocol").GetString() != "SSLv2");

    private static JsonElement Protocol(JsonElement endpoint, string version) =>
        Versions(endpoint.GetProperty("assessment")).Single(p => p.GetProperty("protocol").GetString() == version);

    private static string? Inconclusive(JsonElement protocol) =>
        protocol.TryGetProperty("inconclusive", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;

    /// <summary>"Not supported" claimed: not supported, no inconclusive reason.</summary>
    private static bool Refused(JsonElement protocol) =>
        !protocol.GetProperty("supported").GetBoolean() && Inconclusive(protocol) is null;

    /// <summary>No derived weakness reads "safe": each absent one carries its "not tested" reason.</summary>
    private static void AssertDerivedNotTested(JsonElement endpoint)
    {
        var derived = endpoint.GetProperty("vulnerabilities").GetProperty("derived").EnumerateArray().ToList();
        Assert.NotEmpty(derived);
        Assert.All(derived.Where(d => !d.GetProperty("present").GetBoolean()),
            d => Assert.True(d.TryGetProperty("not_tested", out var why) && why.ValueKind == JsonValueKind.String, d.ToString()));
    }
}
