using System.Globalization;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Netlab;
using XmppScanCluster.Coordinator.Tests.Support;
using Xunit.Abstractions;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Node groups of regions on one PostgreSQL of their own (deploy/cluster/up.sh), some of them inside netlab hosts
/// (deploy/netlab): PostgreSQL also listens on a root-namespace address the hosts reach and trusts their range.
/// Every node option lives here, so a change of `xmppscan node` is adapted in one place.
/// </summary>
internal sealed class RegionLab(CensusTestbed testbed, NetLab lab, string directory, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly string _clusterDir = Path.Combine(directory, "cluster");
    private readonly int _port = PostgresPorts.RegionLab + (int)(StableHash(RepoPaths.Root) % 400);
    private readonly int _clusterPort = 27000 + (int)(StableHash(RepoPaths.Root) % 400) * 10;

    /// <summary>Where root-namespace nodes listen for their cluster: not 127.0.0.1, which inside a netlab host is
    /// the host itself; the rest of 127/8 is routed from the hosts to the root namespace.</summary>
    public string RootClusterHost { get; } = NetLab.RootAddress(20);

    public string PgAddress { get; } = NetLab.RootAddress(5);

    /// <summary>The store URL as the root namespace's processes use it.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts PostgreSQL and <paramref name="nodes"/> nodes of <paramref name="region"/> in the root namespace.</summary>
    public void Start(string region, int nodes, string nodeArgs)
    {
        output.WriteLine(ScriptRunner.RunOrFail(RepoPaths.Deploy("cluster", "up.sh"), Env(region, nodes, nodeArgs), TimeSpan.FromMinutes(5)).Output);
        Url = File.ReadAllLines(Path.Combine(_clusterDir, "env")).Single(l => l.StartsWith("XMPPSCAN_PG_URL=", StringComparison.Ordinal)).Split('=', 2)[1];
    }

    /// <summary>Adds <paramref name="nodes"/> nodes of <paramref name="region"/> inside netlab host <paramref name="host"/>
    /// (own address <paramref name="hostAddress"/>): they join the root nodes' cluster, or with
    /// <paramref name="ownCluster"/> form a cluster of their own (another region: regions never share a cluster).</summary>
    public void AddInHost(string host, string hostAddress, string region, int nodes, string nodeArgs, bool ownCluster = false)
    {
        var env = Env(region, nodes, nodeArgs);
        env["NODE_WRAPPER"] = lab.Wrapper(host);
        env["NODE_HOSTNAME"] = hostAddress;
        if (ownCluster)
        {
            // up.sh numbers nodes on after the ones in its directory; node K listens on CLUSTER_PORT+K-1. The first seed
            // must be the node itself for a new cluster to form.
            var first = Directory.GetFiles(Path.Combine(_clusterDir, "pids"), "node-*.pid").Length + 1;
            env["CLUSTER_SEEDS"] = $"{hostAddress}:{_clusterPort + first - 1}";
        }

        env["NODE_STORE"] = $"postgres://postgres@{PgAddress}:{_port}/xmppscan";
        output.WriteLine(ScriptRunner.RunOrFail(RepoPaths.Deploy("cluster", "up.sh"), env, TimeSpan.FromMinutes(5), "--add",
            nodes.ToString(CultureInfo.InvariantCulture)).Output);
    }

    /// <summary>The node log of <paramref name="nodeId"/> (deploy/cluster writes logs/ID.log).</summary>
    public string NodeLog(string nodeId)
    {
        var path = Path.Combine(_clusterDir, "logs", nodeId + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public static async Task<bool> CensusFinishedAsync(ICensusStore store, Guid census) =>
        (await store.GetProgressAsync(census)).All(p => p.TargetsRemaining == 0);

    private Dictionary<string, string> Env(string region, int nodes, string nodeArgs) => new()
    {
        ["CLUSTER_DIR"] = _clusterDir,
        ["CLUSTER_NODES"] = nodes.ToString(CultureInfo.InvariantCulture),
        ["CLUSTER_REGION"] = region,
        ["XMPPSCAN_PG_PORT"] = _port.ToString(CultureInfo.InvariantCulture),
        // Not under the 0700 temp dir: the server runs as the postgres user.
        ["XMPPSCAN_PG_DIR"] = $"/tmp/xmppscan-pg-netlab-{_port}",
        ["XMPPSCAN_PG_EXTRA_LISTEN"] = PgAddress,
        ["XMPPSCAN_PG_EXTRA_TRUST"] = "198.19.0.0/16",
        ["XMPPSCAN_DLL"] = testbed.Dll,
        ["NODE_ARGS"] = nodeArgs,
        ["CLUSTER_HOST"] = RootClusterHost,
        ["CLUSTER_PORT"] = _clusterPort.ToString(CultureInfo.InvariantCulture),
    };

    public ValueTask DisposeAsync()
    {
        foreach (var log in Directory.Exists(Path.Combine(_clusterDir, "logs")) ? Directory.GetFiles(Path.Combine(_clusterDir, "logs"), "*.log") : [])
        {
            output.WriteLine($"--- {Path.GetFileName(log)}\n{string.Join('\n', File.ReadLines(log).TakeLast(12))}");
        }

        // After the logs: --purge deletes them with the cluster directory.
        output.WriteLine(ScriptRunner.Run(RepoPaths.Deploy("cluster", "down.sh"), Env("-", 0, ""), TimeSpan.FromMinutes(5), "--purge").Output);

        return ValueTask.CompletedTask;
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
