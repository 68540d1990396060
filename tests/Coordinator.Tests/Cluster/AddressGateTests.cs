using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// Politeness when a region's DNS differs from the planner's: two nodes of one region cluster, each hosting one
/// address-shard entity of a real SQLite census plan, connect to an address their DNS gave. Their permits go through the
/// nodes' <see cref="RegionPermits"/> and <see cref="PermitClient"/>s to <see cref="AddressGateEntity"/>s under a
/// stand-in for the shard region. The limiter runs on a <see cref="FakeTimeProvider"/>, Akka's timers on the TestKit
/// scheduler: spacing is judged on the grant instants of the virtual clock, never on elapsed time.
/// </summary>
public sealed class AddressGateTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string Unplanned = "198.51.100.7";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-gate-").FullName;
    private readonly FakeTimeProvider _time = new();
    private ICensusStore _store = null!;

    public AddressGateTests()
        : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\""), "gate-tests")
    {
    }

    public async Task InitializeAsync() => _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "gate.db"));

    public async Task DisposeAsync()
    {
        Shutdown();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task TwoEntitiesOnTwoNodes_sameUnplannedAddress_oneGate_neverOverTheLimit_grantsSpacedOnTheVirtualClock()
    {
        var (census, a, b) = await PlanAsync();
        var region = Sys.ActorOf(Props.Create(() => new FakeRegion(NodeOn("node-a"))), "region");
        var nodeA = Node("node-a", region, census, a);
        var nodeB = Node("node-b", region, census, b);

        // Three connections from each entity, all waiting at once; each granted one is held 1 s (virtual), then closed.
        var waiting = new List<Task<AddressPermit>>();
        for (var i = 0; i < 3; i++)
        {
            waiting.Add(nodeA.EnterAsync(Endpoint("a.example", Unplanned), default).AsTask());
            waiting.Add(nodeB.EnterAsync(Endpoint("b.example", Unplanned), default).AsTask());
        }

        var grants = new List<DateTimeOffset>();
        while (waiting.Count > 0)
        {
            var permit = await NextGrantAsync(waiting);
            // Limit 1: while one is held, no other was granted.
            Assert.Equal(1, waiting.Count(t => t.IsCompleted));
            waiting.RemoveAll(t => t.IsCompleted);
            grants.Add(permit.GrantedAt);
            _time.Advance(TimeSpan.FromSeconds(1));
            permit.Release.Dispose();
        }

        Assert.Equal(6, grants.Count);
        var sorted = grants.Order().ToList();
        Assert.All(sorted.Zip(sorted.Skip(1), (first, next) => next - first), gap => Assert.True(gap >= Spacing, $"grants {gap} apart, spacing {Spacing}"));
        // One gate for the address in the region, keyed by the address alone (no shard owns it).
        var gate = GateEntityIds.For(census, Unplanned, null);
        Assert.Equal([gate], FakeRegion.Acquired.Keys.Where(k => k.StartsWith("ip:", StringComparison.Ordinal) && k.Contains(census.ToString("N"), StringComparison.Ordinal)));
        Assert.Equal(6, FakeRegion.Acquired[gate]);
    }

    [Fact]
    public async Task GrantDeliveredLate_theNextGrantIsASpacingAfterTheReportedConnectStart()
    {
        var (census, a, b) = await PlanAsync();
        var region = Sys.ActorOf(Props.Create(() => new FakeRegion(NodeOn("node-a"))), "region");
        var nodeA = Node("node-a", region, census, a);
        var nodeB = Node("node-b", region, census, b);

        var first = await NextGrantAsync([nodeA.EnterAsync(Endpoint("a.example", Unplanned), default).AsTask()]);
        var second = nodeB.EnterAsync(Endpoint("b.example", Unplanned), default).AsTask();

        // Node A acts on its grant 1 s late (a loaded node; the stress run's 3.065 s then 1.137 s at spacing 2 s): its
        // connection starts then and closes 0.1 s later. Counting from the grant, node B's would start at 2 s, 1 s after.
        _time.Advance(TimeSpan.FromSeconds(1));
        var started = first.Started();
        _time.Advance(TimeSpan.FromSeconds(0.1));
        first.Release.Dispose();

        var next = await NextGrantAsync([second]);
        Assert.True(next.GrantedAt - started >= Spacing, $"granted {next.GrantedAt - started} after the first connection started, spacing {Spacing}");
        next.Release.Dispose();
    }

    [Fact]
    public async Task OwnedAddress_isLocal_anotherShardsAddress_goesToThatShardsGate()
    {
        var (census, a, b) = await PlanAsync();
        var region = Sys.ActorOf(Props.Create(() => new FakeRegion(NodeOn("node-a"))), "region");
        var nodeA = Node("node-a", region, census, a);
        var nodeB = Node("node-b", region, census, b);

        // a.example's own planned address: the node's limiter, no message.
        (await nodeA.EnterAsync(Endpoint("a.example", "192.0.2.1"), default)).Release.Dispose();
        Assert.DoesNotContain(FakeRegion.Acquired.Keys, k => k.Contains(census.ToString("N"), StringComparison.Ordinal));

        // b.example's DNS gave a.example's address: the gate placed with shard a (so with a's own connections).
        var permit = await NextGrantAsync([nodeB.EnterAsync(Endpoint("b.example", "192.0.2.1"), default).AsTask()]);
        permit.Release.Dispose();
        Assert.Equal(1, FakeRegion.Acquired[GateEntityIds.For(census, "192.0.2.1", a)]);
        Assert.True(GateEntityIds.TryParse(GateEntityIds.For(census, "192.0.2.1", a), out var c, out var address, out var owner));
        Assert.Equal((census, IPAddress.Parse("192.0.2.1"), a), (c, address, owner));
    }

    /// <summary>Advances the virtual clock in 0.25 s steps until a waiting permit is granted (the gate and the limiter
    /// run on other threads: the loop yields between steps; only the number of steps is bounded).</summary>
    private async Task<AddressPermit> NextGrantAsync(List<Task<AddressPermit>> waiting)
    {
        for (var step = 0; step < 4000; step++)
        {
            if (waiting.FirstOrDefault(t => t.IsCompleted) is { } done)
            {
                return await done;
            }

            await Task.WhenAny([.. waiting, Task.Delay(TimeSpan.FromMilliseconds(10))]);
            if (!waiting.Any(t => t.IsCompleted))
            {
                _time.Advance(TimeSpan.FromMilliseconds(250));
            }
        }

        throw new TimeoutException("no permit granted");
    }

    private async Task<(Guid Census, long A, long B)> PlanAsync()
    {
        var settings = new CensusSettings(["c2s"], [], [], false, 5, new PolitenessSettings(1, Spacing.TotalSeconds, 30, 3), []);
        var census = await _store.CreateCensusAsync(new CensusDefinition("gate", settings.ToJson(), "ssllabs-2009r", ["eu"]));
        var added = await _store.AddTargetsAsync(census.CensusId, ["a.example", "b.example"]);
        await _store.PlanShardsAsync(census.CensusId, [.. added.Added.Select(t => new TargetEndpoints(t.TargetId,
            [IPAddress.Parse(t.Domain == "a.example" ? "192.0.2.1" : "192.0.2.2")]))], ShardKeyPolicy.PerAddress);
        var shards = await _store.ListOpenShardsAsync("eu");
        return (census.CensusId, shards.Single(s => s.ShardKey == "192.0.2.1").ShardId, shards.Single(s => s.ShardKey == "192.0.2.2").ShardId);
    }

    private readonly ConcurrentDictionary<string, NodeRuntime> _nodes = new();

    private NodeRuntime NodeOn(string id) => _nodes.GetOrAdd(id, _ => new NodeRuntime(_store,
        new NodeOptions { NodeId = id, Region = "eu" }, TextWriter.Null, _time));

    /// <summary>A node hosting the entity of <paramref name="shard"/> (its plan registered as the entity does), with its
    /// permit client; the connection gate of its census context routes the permits.</summary>
    private IAddressPermits Node(string id, IActorRef region, Guid census, long shard)
    {
        var node = NodeOn(id);
        node.Permits = Sys.ActorOf(PermitClient.Props(region), "permits-" + id);
        node.Planned.Register(census, shard, _store.GetShardTargetsAsync(shard).GetAwaiter().GetResult());
        var info = _store.GetCensusAsync(census).GetAwaiter().GetResult()!;
        return new RegionPermits(census, node, node.ContextFor(info).Limiter!, node.Permits);
    }

    private static XmppEndpoint Endpoint(string domain, string address) =>
        new(domain, XmppMode.C2S, TlsTransport.StartTls, "xmpp." + domain, IPAddress.Parse(address), 5222, 0, 0, EndpointSource.Srv);

    /// <summary>The shard region's part for gates: one entity per id (created on the gate's node), messages forwarded with
    /// their sender; counts the permits asked of each gate.</summary>
    private sealed class FakeRegion : ReceiveActor
    {
        public static ConcurrentDictionary<string, int> Acquired { get; } = new();

        public FakeRegion(NodeRuntime gateNode)
        {
            Receive<IGateMessage>(m =>
            {
                var id = GateEntityIds.For(m);
                if (m is AcquirePermit)
                {
                    Acquired.AddOrUpdate(id, 1, (_, n) => n + 1);
                }

                var name = Uri.EscapeDataString(id);
                var entity = Context.Child(name) is var existing && !existing.Equals(ActorRefs.Nobody) ? existing : Context.ActorOf(AddressGateEntity.Props(id, gateNode), name);
                entity.Forward(m);
            });
            Receive<Passivate>(p => Context.Stop(Sender));
        }
    }
}
