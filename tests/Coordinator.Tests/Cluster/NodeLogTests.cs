using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Logging;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The node's log goes through Microsoft.Extensions.Logging, Akka's log bridged into it, and its lines keep the
/// format deploy/cluster/up.sh reads ("up in cluster").</summary>
public sealed class NodeLogTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-nodelog-").FullName;
    private ICensusStore _store = null!;

    public async Task InitializeAsync() => _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "log.db"));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task NodeLines_keepTheirFormat_andAkkaWarningsArriveThroughTheSameLoggers()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 34, 56, 789, TimeSpan.Zero));
        var text = new StringWriter();
        var node = new NodeRuntime(_store, new NodeOptions { NodeId = "n1", Region = "eu" }, text, time);

        node.Log("up in cluster xmppscan-eu at akka.tcp://xmppscan-eu@127.0.0.1:4053");
        Assert.Equal("12:34:56.789 node n1: up in cluster xmppscan-eu at akka.tcp://xmppscan-eu@127.0.0.1:4053" + Environment.NewLine, Read(text));

        var system = ActorSystem.Create("log-test", BootstrapSetup.Create().WithConfig(NodeActorConfig.Config).And(new AkkaLogging(node.Logging)));
        try
        {
            system.Log.Warning("journal slow: {0} ms", 1500);
            for (var i = 0; i < 300 && !Read(text).Contains("journal slow", StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            await system.Terminate();
        }

        var akka = Assert.Single(Read(text).Split(Environment.NewLine), l => l.Contains("journal slow", StringComparison.Ordinal));
        Assert.StartsWith("12:34:56.789 akka warning: ", akka, StringComparison.Ordinal);
        Assert.EndsWith(": journal slow: 1500 ms", akka, StringComparison.Ordinal);
    }

    private static string Read(StringWriter text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
