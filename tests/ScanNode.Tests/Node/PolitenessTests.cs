using System.Net;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Node;

public class PolitenessTests
{
    private static readonly IPAddress Server = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task OneConnectionPerIp_secondWaitsForTheFirstToClose()
    {
        var limiter = new PerIpLimiter(1, TimeSpan.Zero);
        var first = await limiter.EnterAsync(Server, CancellationToken.None);
        var second = limiter.EnterAsync(Server, CancellationToken.None).AsTask();

        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task Spacing_delaysTheNextStartToTheSameIp_butNotToAnother()
    {
        var time = new FakeTimeProvider();
        var limiter = new PerIpLimiter(4, TimeSpan.FromMilliseconds(300), time);
        (await limiter.EnterAsync(Server, CancellationToken.None)).Dispose();
        var other = limiter.EnterAsync(IPAddress.Parse("192.0.2.11"), CancellationToken.None).AsTask();
        Assert.True(other.IsCompleted, "another address does not wait");
        (await other).Dispose();

        var again = limiter.EnterAsync(Server, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(again.IsCompleted, "the same address waits the spacing");
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await again.WaitAsync(TimeSpan.FromSeconds(60))).Dispose();
    }

    [Fact]
    public async Task GrantActedOnLate_theNextStartIsASpacingAfterTheReportedStart_notAfterTheGrant()
    {
        var time = new FakeTimeProvider();
        var spacing = TimeSpan.FromSeconds(2);
        var limiter = new PerIpLimiter(2, spacing, time);
        var first = await limiter.EnterAsync(Server, CancellationToken.None);
        var second = limiter.EnterAsync(Server, CancellationToken.None).AsTask();

        // The first grant's connection starts 1.5 s late (a loaded node ran its continuation late): counting from the
        // grant would let the second start at 2 s, 0.5 s after the first's real start.
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(second.IsCompleted, "granted before the first connection started");
        var started = first.Started();
        Assert.Equal(first.GrantedAt + TimeSpan.FromSeconds(1.5), started);

        var next = await AdvanceUntilAsync(time, second);
        Assert.True(next.GrantedAt - started >= spacing, $"started {next.GrantedAt - started} after the first's start, spacing {spacing}");
        first.Dispose();
        next.Dispose();
    }

    [Fact]
    public async Task GrantReleasedWithoutAStart_theNextStartIsASpacingAfterTheGrant()
    {
        var time = new FakeTimeProvider();
        var spacing = TimeSpan.FromSeconds(2);
        var limiter = new PerIpLimiter(2, spacing, time);
        var first = await limiter.EnterAsync(Server, CancellationToken.None);
        var second = limiter.EnterAsync(Server, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(0.5));
        first.Dispose();

        var next = await AdvanceUntilAsync(time, second);
        Assert.True(next.GrantedAt - first.GrantedAt >= spacing, $"granted {next.GrantedAt - first.GrantedAt} after the first, spacing {spacing}");
        next.Dispose();
    }

    /// <summary>Advances the virtual clock in 0.25 s steps until <paramref name="waiting"/> completes (the waiter's
    /// continuation runs on another thread: the loop yields between steps; only the number of steps is bounded).</summary>
    private static async Task<PerIpLimiter.Grant> AdvanceUntilAsync(FakeTimeProvider time, Task<PerIpLimiter.Grant> waiting)
    {
        for (var step = 0; step < 4000 && !waiting.IsCompleted; step++)
        {
            await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(10)));
            if (!waiting.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
            }
        }

        return await waiting.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task BackOff_pushesTheNextStartOut()
    {
        var time = new FakeTimeProvider();
        var limiter = new PerIpLimiter(1, TimeSpan.Zero, time);
        limiter.BackOff(Server, TimeSpan.FromMilliseconds(300));

        var entered = limiter.EnterAsync(Server, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(entered.IsCompleted, "no start before the back-off ends");
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await entered.WaitAsync(TimeSpan.FromSeconds(60))).Dispose();
    }

    [Fact]
    public async Task Cancelled_whileWaiting_releasesNothingItDidNotTake()
    {
        var limiter = new PerIpLimiter(1, TimeSpan.Zero);
        var held = await limiter.EnterAsync(Server, CancellationToken.None);
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.EnterAsync(Server, cts.Token).AsTask());
        held.Dispose();
        held.Dispose(); // idempotent
        (await limiter.EnterAsync(Server, CancellationToken.None)).Dispose();
    }

    [Theory]
    [InlineData("example.org", true)]
    [InlineData("xmpp.example.org", true)]
    [InlineData("notexample.org", false)]
    [InlineData("example.net", false)]
    public void Blocklist_domainBlocksItselfAndSubdomains(string domain, bool blocked)
    {
        var list = Blocklist.Parse(["# comment", "", "example.org  # ours"], out var invalid);
        Assert.Empty(invalid);
        Assert.Equal(blocked, list.IsBlocked(domain));
    }

    [Theory]
    [InlineData("192.0.2.200", true)]
    [InlineData("192.0.3.1", false)]
    [InlineData("198.51.100.7", true)]
    [InlineData("198.51.100.8", false)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::5", false)]
    [InlineData("::ffff:192.0.2.9", true)]
    public void Blocklist_cidrsAndAddresses(string address, bool blocked)
    {
        var list = Blocklist.Parse(["192.0.2.0/24", "198.51.100.7", "2001:db8::/32"], out _);
        Assert.Equal(blocked, list.IsBlocked(IPAddress.Parse(address)));
    }

    [Fact]
    public void Blocklist_badEntriesAreReported()
    {
        Blocklist.Parse(["10.0.0.0/33", "bad..name", "ok.example"], out var invalid);
        Assert.Equal(["10.0.0.0/33", "bad..name"], invalid);
    }

    [Fact]
    public async Task Gate_refusesBlockedEndpoints_beforeAnyConnection()
    {
        var gate = new PolitenessGate(Blocklist.Parse(["192.0.2.0/24"], out _), new PerIpLimiter(1, TimeSpan.Zero));
        var endpoint = new XmppEndpoint(Domain: "example.org", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.org", Address: Server, Port: 5222, Priority: 0, Weight: 0, Source: EndpointSource.Srv);

        using var permit = await gate.EnterAsync(endpoint, CancellationToken.None);

        Assert.Equal(FailureKind.Blocked, permit.Denied?.Kind);
    }

    [Fact]
    public async Task Gate_logThatCannotBeWritten_stillGivesTheAddressBack()
    {
        var log = new ConnectionLog(Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "connections.log"));
        var gate = new PolitenessGate(Blocklist.Parse([], out _), new PerIpLimiter(1, TimeSpan.Zero), log);
        var endpoint = new XmppEndpoint(Domain: "example.org", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.org", Address: Server, Port: 5222, Priority: 0, Weight: 0, Source: EndpointSource.Srv);

        var first = await gate.EnterAsync(endpoint, CancellationToken.None);
        first.Started();
        Assert.Throws<DirectoryNotFoundException>(first.Dispose);

        var second = gate.EnterAsync(endpoint, CancellationToken.None).AsTask();
        Assert.True(second.IsCompleted, "the one permit of the address came back although its log line failed");
        (await second).Dispose();
    }
}
