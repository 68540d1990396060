using System.Net;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>Planning's discovery results (issue 14: each target resolved once), on both engines.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task KeptDiscovery_isFoundByDomainAndMode_withItsEndOfValidity_andKeepingAgainReplacesIt()
    {
        var (census, targets) = await PlannedCensusAsync(2);
        var until = Time.GetUtcNow().AddSeconds(300);
        await Store.KeepDiscoveryAsync(census.CensusId, [
            new PlannedDiscoveryRow(targets[0].TargetId, "c2s", """{"c2s":1}""", until),
            new PlannedDiscoveryRow(targets[0].TargetId, "s2s", """{"s2s":1}""", until.AddSeconds(-200)),
        ]);

        // Another store instance (another process's view of the same database), the domain as a user would type it.
        var other = await OpenAnotherAsync();
        Assert.Equal(new PlannedDiscoveryRow(targets[0].TargetId, "c2s", """{"c2s":1}""", until),
            await other.FindDiscoveryAsync(census.CensusId, " T0000.Example. ", "c2s"));
        Assert.Equal(until.AddSeconds(-200), (await other.FindDiscoveryAsync(census.CensusId, "t0000.example", "s2s"))!.ValidUntil);
        Assert.Null(await other.FindDiscoveryAsync(census.CensusId, "t0001.example", "c2s"));
        Assert.Null(await other.FindDiscoveryAsync(Guid.NewGuid(), "t0000.example", "c2s"));

        // A resumed plan resolving the target again replaces what was kept.
        await Store.KeepDiscoveryAsync(census.CensusId, [new PlannedDiscoveryRow(targets[0].TargetId, "c2s", """{"again":1}""", until.AddSeconds(60))]);
        var replaced = await other.FindDiscoveryAsync(census.CensusId, "t0000.example", "c2s");
        Assert.Equal(("""{"again":1}""", until.AddSeconds(60)), (replaced!.Result, replaced.ValidUntil));
        await Store.KeepDiscoveryAsync(census.CensusId, []);
    }

    [Fact]
    public async Task KeptDiscovery_ofAnotherCensusTarget_anUnknownMode_orAnOversizedResult_isRefused()
    {
        var (census, _) = await PlannedCensusAsync(1);
        var (_, foreign) = await PlannedCensusAsync(1);
        var until = Time.GetUtcNow().AddSeconds(300);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.KeepDiscoveryAsync(census.CensusId,
            [new PlannedDiscoveryRow(foreign[0].TargetId, "c2s", "{}", until)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.KeepDiscoveryAsync(census.CensusId,
            [new PlannedDiscoveryRow(foreign[0].TargetId, "xmpp", "{}", until)]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.KeepDiscoveryAsync(census.CensusId,
            [new PlannedDiscoveryRow(foreign[0].TargetId, "c2s", new string('x', PlannedDiscoveryRow.MaxResultChars + 1), until)]));
        Assert.Null(await Store.FindDiscoveryAsync(census.CensusId, "t0000.example", "c2s"));
    }

    [Fact]
    public async Task Rescan_dropsTheTargetsKeptDiscovery_soTheRescanResolvesAnew()
    {
        var (census, targets) = await PlannedCensusAsync(2);
        var until = Time.GetUtcNow().AddSeconds(300);
        await Store.KeepDiscoveryAsync(census.CensusId, [.. targets.Select(t => new PlannedDiscoveryRow(t.TargetId, "c2s", "{}", until))]);

        await Store.RescanTargetAsync(census.CensusId, "t0000.example");

        Assert.Null(await Store.FindDiscoveryAsync(census.CensusId, "t0000.example", "c2s"));
        Assert.NotNull(await Store.FindDiscoveryAsync(census.CensusId, "t0001.example", "c2s"));
    }

    /// <summary>Makes a new database as a build of schema <paramref name="version"/> left it (its migrations applied and
    /// recorded, nothing newer) and returns its <c>--store</c> value.</summary>
    protected abstract Task<string> CreateOlderDatabaseAsync(int version);

    [Fact]
    public async Task OlderStore_fromBeforePlannedDiscovery_opens_isMigrated_andKeepsDiscovery()
    {
        const int before = 6;
        Assert.Equal("planned_discovery", Migrations.For(MigrationFolder)[before].Name);
        var older = await StoreFactory.OpenAsync(await CreateOlderDatabaseAsync(before), Time);
        await using (older)
        {
            Assert.Equal(Migrations.For(MigrationFolder).Count, await older.GetSchemaVersionAsync());
            var census = await older.CreateCensusAsync(new CensusDefinition("older", "{}", "xmpp-2026", ["eu"]));
            var target = Assert.Single((await older.AddTargetsAsync(census.CensusId, ["old.example"])).Added);
            await older.PlanShardsAsync(census.CensusId, [new TargetEndpoints(target.TargetId, [IPAddress.Loopback])], ShardKeyPolicy.PerAddress);
            await older.KeepDiscoveryAsync(census.CensusId, [new PlannedDiscoveryRow(target.TargetId, "c2s", "{}", Time.GetUtcNow())]);
            Assert.NotNull(await older.FindDiscoveryAsync(census.CensusId, "old.example", "c2s"));
        }
    }
}
