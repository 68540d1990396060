using System.Net;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Store.Support;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>
/// The behaviour both engines must show, run once per engine by a subclass. Every test opens its own
/// store (a new SQLite file or a new PostgreSQL database) on a clock the test moves by hand.
/// </summary>
public abstract partial class CensusStoreContract : IAsyncLifetime
{

    protected FakeTime Time { get; } = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    protected ICensusStore Store { get; private set; } = null!;

    private readonly List<ICensusStore> _opened = [];

    /// <summary>Prepares an empty database for this test.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>Opens a store on this test's database (each call a new instance with its own connections).</summary>
    protected abstract Task<ICensusStore> OpenStoreAsync();

    protected abstract Task DropDatabaseAsync();

    protected abstract string MigrationFolder { get; }

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = await OpenAnotherAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected async Task<ICensusStore> OpenAnotherAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    protected async Task<CensusInfo> NewCensusAsync(params string[] regions) =>
        await Store.CreateCensusAsync(new CensusDefinition("census-" + Guid.NewGuid().ToString("N")[..8],
            """{"timeout_seconds":30}""", "xmpp-2026", regions.Length == 0 ? ["eu"] : regions));

    /// <summary>A census with <paramref name="count"/> targets, each on its own address, so one shard each per region.</summary>
    protected async Task<(CensusInfo Census, IReadOnlyList<TargetRef> Targets)> PlannedCensusAsync(int count,
        params string[] regions)
    {
        var census = await NewCensusAsync(regions);
        var added = await Store.AddTargetsAsync(census.CensusId, Enumerable.Range(0, count).Select(i => $"t{i:D4}.example"));
        await Store.PlanShardsAsync(census.CensusId,
            added.Added.Select((t, i) => new TargetEndpoints(t.TargetId, [IPAddress.Parse($"2001:db8::{i + 1:x}")])).ToList(),
            ShardKeyPolicy.PerAddress);
        return (census, added.Added);
    }

    // ---- migrations ----

    [Fact]
    public async Task OpenTwice_migrationsAreAppliedOnce()
    {
        var second = await OpenAnotherAsync();
        var expected = Migrations.For(MigrationFolder).Count;
        Assert.Equal(expected, await Store.GetSchemaVersionAsync());
        Assert.Equal(expected, await second.GetSchemaVersionAsync());
    }

    // ---- census ----

    [Fact]
    public async Task CreateCensus_roundTripsAndStartsRunning()
    {
        var census = await NewCensusAsync("us", "eu");

        var loaded = await Store.GetCensusAsync(census.CensusId);
        Assert.NotNull(loaded);
        Assert.Equal(census.Name, loaded.Name);
        Assert.Equal(["eu", "us"], loaded.Regions);
        Assert.Equal(CensusState.Running, loaded.State);
        Assert.Equal("xmpp-2026", loaded.GradingPolicy);
        Assert.Contains("timeout_seconds", loaded.SettingsJson, StringComparison.Ordinal);
        Assert.Equal(Time.GetUtcNow(), loaded.CreatedAt);
        Assert.Equal(census.CensusId, (await Store.FindCensusAsync(census.Name))!.CensusId);
        Assert.Null(await Store.GetCensusAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task CreateCensus_sameNameTwice_throwsCensusExists()
    {
        var census = await NewCensusAsync();
        await Assert.ThrowsAsync<CensusExistsException>(() =>
            Store.CreateCensusAsync(new CensusDefinition(census.Name, "{}", "p", ["eu"])));
    }

    [Fact]
    public async Task CensusState_cancelledCannotResume()
    {
        var census = await NewCensusAsync();
        Assert.Equal(CensusState.Paused, await Store.SetCensusStateAsync(census.CensusId, CensusState.Paused));
        Assert.Equal(CensusState.Running, await Store.SetCensusStateAsync(census.CensusId, CensusState.Running));
        Assert.Equal(CensusState.Cancelled, await Store.SetCensusStateAsync(census.CensusId, CensusState.Cancelled));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.SetCensusStateAsync(census.CensusId, CensusState.Running));
    }

    // ---- targets and planning ----

    [Fact]
    public async Task AddTargets_duplicatesInInputAndStoreAreReported()
    {
        var census = await NewCensusAsync();
        var first = await Store.AddTargetsAsync(census.CensusId, ["a.example", "B.example.", "a.example"]);
        Assert.Equal(["a.example", "b.example"], first.Added.Select(t => t.Domain));
        Assert.Equal(["a.example"], first.Duplicates);

        var second = await Store.AddTargetsAsync(census.CensusId, ["b.example", "c.example"]);
        Assert.Equal(["c.example"], second.Added.Select(t => t.Domain));
        Assert.Equal(["b.example"], second.Duplicates);

        var page1 = await Store.ListTargetsAsync(census.CensusId, null, 2);
        var page2 = await Store.ListTargetsAsync(census.CensusId, page1[^1].Domain, 2);
        Assert.Equal(["a.example", "b.example", "c.example"], page1.Concat(page2).Select(t => t.Domain));
    }

    [Fact]
    public async Task PlanShards_targetsSharingAnAddressShareOneShardPerRegion()
    {
        var census = await NewCensusAsync("eu", "us");
        var t = (await Store.AddTargetsAsync(census.CensusId, ["a.example", "b.example", "c.example", "d.example"])).Added;
        var plan = await Store.PlanShardsAsync(census.CensusId,
        [
            new TargetEndpoints(t[0].TargetId, [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("198.51.100.7")]),
            new TargetEndpoints(t[1].TargetId, [IPAddress.Parse("198.51.100.7")]),
            new TargetEndpoints(t[2].TargetId, [IPAddress.Parse("203.0.113.5")]),
            new TargetEndpoints(t[3].TargetId, []),
        ], ShardKeyPolicy.PerAddress);

        Assert.Equal(new PlanResult(4, 0, 6), plan); // {a,b}, {c}, {d unresolved} × 2 regions
        var progress = await Store.GetProgressAsync(census.CensusId);
        Assert.Equal(["eu", "us"], progress.Select(p => p.Region));
        Assert.All(progress, p => Assert.Equal((4, 4, 3, 0), (p.TargetsTotal, p.TargetsPlanned, p.ShardsPending, p.ShardsDone)));

        var shards = await Store.ListOpenShardsAsync("eu");
        Assert.Equal(3, shards.Count);
        var shardOfA = shards.Single(l => l.ShardKey == "192.0.2.10");
        var members = await Store.GetShardTargetsAsync(shardOfA.ShardId);
        Assert.Equal(["a.example", "b.example"], members.Select(m => m.Domain));
        Assert.Equal(["192.0.2.10", "198.51.100.7"], members[0].Addresses);
        Assert.All(members, m => Assert.Equal(TargetStatus.Pending, m.Status));

        // A later plan: e joins a's shard through a known address; a re-planned target is skipped.
        var e = (await Store.AddTargetsAsync(census.CensusId, ["e.example"])).Added[0];
        var again = await Store.PlanShardsAsync(census.CensusId,
            [new TargetEndpoints(e.TargetId, [IPAddress.Parse("198.51.100.7")]), new TargetEndpoints(t[2].TargetId, [])],
            ShardKeyPolicy.PerAddress);
        Assert.Equal(new PlanResult(1, 1, 0), again);
        Assert.Contains("e.example", (await Store.GetShardTargetsAsync(shardOfA.ShardId)).Select(m => m.Domain));
    }

    [Fact]
    public async Task PlanShards_unknownTarget_throws()
    {
        var census = await NewCensusAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PlanShardsAsync(census.CensusId,
            [new TargetEndpoints(Guid.NewGuid(), [])], ShardKeyPolicy.PerAddress));
    }

    [Fact]
    public async Task Progress_countsDoneAndFailedTargetsPerRegion()
    {
        var (census, targets) = await PlannedCensusAsync(3, "eu", "us");
        var shards = await Store.ListOpenShardsAsync("eu");
        Assert.Equal(3, shards.Count);
        var byTarget = new Dictionary<Guid, long>();
        foreach (var shard in shards)
        {
            byTarget[(await Store.GetShardTargetsAsync(shard.ShardId)).Single().TargetId] = shard.ShardId;
        }

        Assert.True(await Store.CompleteTargetAsync(byTarget[targets[0].TargetId], targets[0].TargetId, 0, TargetOutcome.Done));
        Assert.True(await Store.CompleteTargetAsync(byTarget[targets[1].TargetId], targets[1].TargetId, 0, TargetOutcome.Failed));

        var progress = await Store.GetProgressAsync(census.CensusId);
        var eu = progress.Single(p => p.Region == "eu");
        Assert.Equal((3, 3, 1, 1, 1), (eu.TargetsTotal, eu.TargetsPlanned, eu.TargetsDone, eu.TargetsFailed, eu.TargetsRemaining));
        Assert.Equal((1, 2), (eu.ShardsPending, eu.ShardsDone));
        var us = progress.Single(p => p.Region == "us");
        Assert.Equal((0, 0, 3, 3), (us.TargetsDone, us.TargetsFailed, us.TargetsRemaining, us.ShardsPending));
    }

    // ---- certificates ----

    [Fact]
    public async Task Certificates_areStoredOncePerSha256()
    {
        ReadOnlyMemory<byte> a = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 };
        ReadOnlyMemory<byte> b = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x02 };

        var first = await Store.PutCertificatesAsync([a, b, a]);
        var second = await Store.PutCertificatesAsync([b]);

        Assert.Equal(2, first.Added);
        Assert.Equal(0, second.Added);
        Assert.Equal(first.Sha256[0], first.Sha256[2]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b.Span)), second.Sha256[0]);
        Assert.Equal(a.ToArray(), await Store.GetCertificateAsync(first.Sha256[0]));
        Assert.Null(await Store.GetCertificateAsync(new string('0', 64)));
    }
}
