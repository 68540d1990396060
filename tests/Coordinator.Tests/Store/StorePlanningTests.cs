using System.Net;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>Pure parts of the store: shard keys and plans, --store parsing, migration parity.</summary>
public class StorePlanningTests
{
    private static TargetEndpoints T(int id, params string[] addresses) =>
        new(new Guid(id, 0, 0, new byte[8]), addresses.Select(IPAddress.Parse).ToList());

    [Theory]
    [InlineData("192.0.2.77", ShardKeyPolicy.PerAddress, "192.0.2.77")]
    [InlineData("192.0.2.77", ShardKeyPolicy.PerSubnet, "192.0.2.0/24")]
    [InlineData("::ffff:192.0.2.77", ShardKeyPolicy.PerSubnet, "192.0.2.0/24")]
    [InlineData("2001:db8:1:2:3::9", ShardKeyPolicy.PerSubnet, "2001:db8:1::/48")]
    [InlineData("2001:db8:1:2:3::9", ShardKeyPolicy.PerAddress, "2001:db8:1:2:3::9")]
    public void AddressKey_isTheAddressOrItsNetwork(string address, ShardKeyPolicy policy, string key) =>
        Assert.Equal(key, ShardPlanner.AddressKey(IPAddress.Parse(address), policy));

    [Fact]
    public void Plan_joinsTargetsThroughSharedAddressesTransitively()
    {
        var plan = ShardPlanner.Plan(
            [T(1, "192.0.2.9"), T(2, "192.0.2.9", "198.51.100.1"), T(3, "198.51.100.1"), T(4, "203.0.113.1")],
            ShardKeyPolicy.PerAddress, new Dictionary<string, string>());

        Assert.Equal(2, plan.Count);
        Assert.Equal("192.0.2.9", plan[0].ShardKey);
        Assert.Equal(["192.0.2.9", "198.51.100.1"], plan[0].AddressKeys);
        Assert.Equal(3, plan[0].Targets.Count);
        Assert.Equal("203.0.113.1", plan[1].ShardKey);
    }

    [Fact]
    public void Plan_perSubnet_putsNeighboursTogether()
    {
        var plan = ShardPlanner.Plan([T(1, "192.0.2.9"), T(2, "192.0.2.200"), T(3, "192.0.3.1")],
            ShardKeyPolicy.PerSubnet, new Dictionary<string, string>());
        Assert.Equal(["192.0.2.0/24", "192.0.3.0/24"], plan.Select(s => s.ShardKey));
    }

    [Fact]
    public void Plan_keyOwnedByAnEarlierShard_keepsThatShardsKey()
    {
        // 10.x sorts before 198.x, but 198.51.100.1 already belongs to shard "198.51.100.1".
        var plan = ShardPlanner.Plan([T(1, "10.0.0.1", "198.51.100.1")], ShardKeyPolicy.PerAddress,
            new Dictionary<string, string> { ["198.51.100.1"] = "198.51.100.1" });
        Assert.Equal("198.51.100.1", Assert.Single(plan).ShardKey);
    }

    [Fact]
    public void Plan_unresolvedTargets_goToBoundedBuckets()
    {
        var plan = ShardPlanner.Plan(Enumerable.Range(0, 200).Select(i => new TargetEndpoints(Guid.NewGuid(), [])).ToList(),
            ShardKeyPolicy.PerAddress, new Dictionary<string, string>());
        Assert.InRange(plan.Count, 1, ShardPlanner.UnresolvedBuckets);
        Assert.All(plan, s => Assert.StartsWith("unresolved/", s.ShardKey, StringComparison.Ordinal));
        Assert.Equal(200, plan.Sum(s => s.Targets.Count));
    }

    [Theory]
    [InlineData("sqlite:/tmp/c.db", "sqlite", "/tmp/c.db")]
    [InlineData("sqlite:///tmp/c.db", "sqlite", "/tmp/c.db")]
    [InlineData("census.db", "sqlite", "census.db")]
    [InlineData("/var/lib/xmppscan/census.db", "sqlite", "/var/lib/xmppscan/census.db")]
    [InlineData("postgres://scan@127.0.0.1:55432/xmppscan", "postgres", "Host=127.0.0.1;Port=55432;Database=xmppscan;Username=scan")]
    [InlineData("postgresql://scan:p%40ss@[::1]/census", "postgres", "Host=::1;Port=5432;Database=census;Username=scan;Password=p@ss")]
    [InlineData("Host=127.0.0.1;Port=55432;Database=x;Username=postgres", "postgres", "Host=127.0.0.1;Port=55432;Database=x;Username=postgres")]
    public void Parse_acceptedForms(string value, string engine, string target) =>
        Assert.Equal(new StoreLocation(engine, target), StoreFactory.Parse(value));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("mysql://u@h/db", "unknown store scheme 'mysql'")]
    [InlineData("postgres://u@h/", "exactly one database")]
    [InlineData("postgres://u@h/db?sslmode=require", "options are not supported")]
    [InlineData("sqlite:", "needs a path")]
    [InlineData("Data Source=x.db", "neither a path nor a connection string")]
    public void Parse_otherForms_areRefusedWithAReason(string value, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => StoreFactory.Parse(value));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_bothEnginesHaveTheSameVersions() =>
        Assert.Equal(Migrations.For("Sqlite").Select(m => (m.Version, m.Name)),
            Migrations.For("Postgres").Select(m => (m.Version, m.Name)));

    [Fact]
    public void Migrations_bothEnginesCreateTheSameTables()
    {
        static IEnumerable<string> Tables(string engine) => Migrations.For(engine)
            .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Sql, @"CREATE TABLE (\w+)").Select(x => x.Groups[1].Value))
            .Order();
        Assert.Equal(Tables("Sqlite"), Tables("Postgres"));
    }

    [Theory]
    [InlineData(CensusState.Running, CensusState.Paused, true)]
    [InlineData(CensusState.Paused, CensusState.Running, true)]
    [InlineData(CensusState.Paused, CensusState.Cancelled, true)]
    [InlineData(CensusState.Cancelled, CensusState.Running, false)]
    [InlineData(CensusState.Completed, CensusState.Paused, false)]
    public void CensusStates_transitions(CensusState from, CensusState to, bool allowed) =>
        Assert.Equal(allowed, CensusStates.CanMove(from, to));
}
