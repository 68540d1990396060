using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Api;

/// <summary>The HTTP API on a real Kestrel (127.0.0.1, ephemeral port) over a SQLite store, driven by HttpClient and by
/// <c>xmppscan ctl</c> in-process. No scanning: censuses are planned with made-up addresses.</summary>
public sealed class CoordinatorApiTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-api-").FullName;
    private ICensusStore _store = null!;
    private CoordinatorServer _server = null!;
    private readonly HttpClient _http = new();
    private Guid _census;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "api.db"));
        var census = await _store.CreateCensusAsync(new CensusDefinition("alpha", "{}", "ssllabs-2009r", ["eu", "us"]));
        _census = census.CensusId;
        var added = await _store.AddTargetsAsync(_census, ["a.example", "b.example"]);
        await _store.PlanShardsAsync(_census, [.. added.Added.Select((t, i) => new TargetEndpoints(t.TargetId, [IPAddress.Parse($"192.0.2.{i + 1}")]))],
            ShardKeyPolicy.PerAddress);
        _server = await CoordinatorServer.StartAsync(_store, new IPEndPoint(IPAddress.Loopback, 0), token: null);
        _http.BaseAddress = new Uri(_server.Url);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Out, string Err)> Ctl(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["ctl", "--coordinator", _server.Url, .. args], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task CensusListAndShow_reportProgressPerRegion()
    {
        var list = await _http.GetFromJsonAsync("/api/censuses", ApiJsonContext.Default.IReadOnlyListCensusSummary);
        var alpha = Assert.Single(list!);
        Assert.Equal(("alpha", "running", 4), (alpha.Name, alpha.State, alpha.TargetsTotal));

        var detail = await _http.GetFromJsonAsync("/api/censuses/alpha", ApiJsonContext.Default.CensusDetail);
        Assert.Equal(["eu", "us"], detail!.Regions.Select(r => r.Region));
        Assert.All(detail.Regions, r => Assert.Equal((2, 2, null), (r.TargetsRemaining, r.ShardsPending, r.EtaSeconds)));

        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/censuses/nope")).StatusCode);
    }

    [Fact]
    public async Task Pause_meansNoOpenShards_resumeOpensThemAgain_andNodesShowTheReportedCluster()
    {
        var paused = await (await _http.PostAsync("/api/censuses/alpha/pause", null)).Content.ReadFromJsonAsync(ApiJsonContext.Default.StateView);
        Assert.Equal("paused", paused!.State);
        Assert.Empty(await _store.ListOpenShardsAsync("eu"));

        var (code, output, _) = await Ctl("census", "resume", "alpha");
        Assert.Equal(0, code);
        Assert.Equal("census alpha: running", output.Trim());
        Assert.Equal(2, (await _store.ListOpenShardsAsync("eu")).Count);

        await _store.ReportClusterAsync("eu", [
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@127.0.0.1:4053", "region:eu,scan", "up", true, 2, 2, DateTimeOffset.UtcNow),
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@127.0.0.1:4054", "region:eu,scan", "up", false, 0, 0, DateTimeOffset.UtcNow)]);
        var nodes = await _http.GetFromJsonAsync("/api/nodes", ApiJsonContext.Default.IReadOnlyListMemberView);
        Assert.Equal(2, Assert.Single(nodes!, n => n.Address.EndsWith(":4053", StringComparison.Ordinal)).Entities);
        var text = await Ctl("nodes");
        Assert.Matches(@"eu +akka\.tcp://xmppscan-eu@127\.0\.0\.1:4054 +up +no +0 +0 ", text.Out);
        Assert.Contains("cluster members up: 1   shard entities: 2", (await Ctl("status")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelThenResume_isRefusedWith409()
    {
        Assert.Equal(0, (await Ctl("census", "cancel", "alpha")).Code);
        var (code, _, err) = await Ctl("census", "resume", "alpha");
        Assert.Equal(CtlCommand.Refused, code);
        Assert.Contains("409: census is cancelled: cannot resume", err, StringComparison.Ordinal);
        Assert.Empty(await _store.ListOpenShardsAsync("eu"));
    }

    [Fact]
    public async Task Rescan_ofAnUnknownDomain_is404_andAKnownOneQueuesGenerationOne()
    {
        var (code, _, err) = await Ctl("rescan", "alpha", "zzz.example");
        Assert.Equal((CtlCommand.Refused, true), (code, err.Contains("404: not_found", StringComparison.Ordinal)));

        var ok = await Ctl("rescan", "alpha", "A.Example.");
        Assert.Equal(0, ok.Code);
        Assert.Equal("census alpha: A.Example. queued (scan generation 1)", ok.Out.Trim());
        var shard = (await _store.ListOpenShardsAsync("us")).First(l => l.ShardKey == "192.0.2.1");
        Assert.Equal(1, Assert.Single(await _store.GetShardTargetsAsync(shard.ShardId)).Generation);

        // Asked again: the next generation at once (an entity scanning generation 1 finishes it first, then starts 2).
        var leased = await _http.PostAsJsonAsync("/api/censuses/alpha/rescan", new RescanRequest("a.example"), ApiJsonContext.Default.RescanRequest);
        Assert.Equal(HttpStatusCode.Accepted, leased.StatusCode);
        Assert.Equal(2, (await leased.Content.ReadFromJsonAsync(ApiJsonContext.Default.RescanView))!.Generation);
        Assert.Equal(2, Assert.Single(await _store.GetShardTargetsAsync(shard.ShardId)).Generation);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync("/api/censuses/alpha/rescan", new StringContent("{", null, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task StatusAndJson_areReadableAndEscaped()
    {
        var status = await Ctl("status");
        Assert.Contains("censuses: 1 (1 running, 0 paused)", status.Out, StringComparison.Ordinal);
        var json = await Ctl("--json", "census", "show", "alpha");
        Assert.Equal("alpha", JsonDocument.Parse(json.Out).RootElement.GetProperty("census").GetProperty("name").GetString());
        // Settings stored without a depth are what such censuses ran: session only.
        Assert.Contains("policy ssllabs-2009r  depth session  created", (await Ctl("census", "show", "alpha")).Out, StringComparison.Ordinal);
        var stats = await _http.GetFromJsonAsync<JsonElement>("/api/censuses/alpha/stats?policy=xmppoke-2015");
        Assert.Equal(("xmppoke-2015", 0), (stats.GetProperty("policy").GetString(), stats.GetProperty("results").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/api/censuses/alpha/stats?policy=nope")).StatusCode);
    }

    [Fact]
    public async Task Ctl_withoutCoordinator_exits3()
    {
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["ctl", "--coordinator", "http://127.0.0.1:1", "status"], TextWriter.Null, stderr, CancellationToken.None);
        Assert.Equal(CtlCommand.Unreachable, code);
    }

    [Fact]
    public async Task Token_isRequiredWhenConfigured_andOffLoopback()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CoordinatorServer.StartAsync(_store, new IPEndPoint(IPAddress.Any, 0), token: null));
        await using var guarded = await CoordinatorServer.StartAsync(_store, new IPEndPoint(IPAddress.Loopback, 0), token: "s3cret");
        using var http = new HttpClient { BaseAddress = new Uri(guarded.Url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/censuses")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/censuses")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/censuses")).StatusCode);

        using var stderr = new StringWriter();
        Assert.Equal(CtlCommand.Refused, await CliApp.RunAsync(["ctl", "--coordinator", guarded.Url, "status"], TextWriter.Null, stderr, CancellationToken.None));
        Assert.Equal(0, await CliApp.RunAsync(["ctl", "--coordinator", guarded.Url, "--token", "s3cret", "status"], TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }
}
