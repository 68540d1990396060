using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Logging;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// What the entities of one node share: the store, the node's options and log (Microsoft.Extensions.Logging through
/// <paramref name="logging"/>, Akka's log bridged to it), one scan context per census (so the per-IP limiter of a census is
/// one per node, and an address belongs to one entity, or to its gate when the node's DNS gave an address outside the
/// entity's plan, see <see cref="RegionPermits"/>: the limits hold cluster-wide), and what this process scanned.
/// </summary>
public sealed class NodeRuntime(ICensusStore store, NodeOptions options, ILoggerFactory logging, TimeProvider? time = null,
    Func<CensusSettings, CensusScanContext>? contexts = null)
{
    /// <summary>A node logging into <paramref name="log"/> (<see cref="NodeLogProvider"/>'s line format).</summary>
    public NodeRuntime(ICensusStore store, NodeOptions options, TextWriter log, TimeProvider? time = null,
        Func<CensusSettings, CensusScanContext>? contexts = null)
        : this(store, options, LogInto(log, time), time, contexts)
    {
    }

    /// <summary>Loggers writing into <paramref name="log"/> in <see cref="NodeLogProvider"/>'s line format: a node's, and the
    /// census command's (planner and embedded node in one log).</summary>
    public static ILoggerFactory LogInto(TextWriter log, TimeProvider? time = null) =>
        LoggerFactory.Create(b => b.AddProvider(new NodeLogProvider(log, time)));

    private readonly ConcurrentDictionary<Guid, Lazy<CensusScanContext>> _contexts = new();
    private int _targetsScanned;
    private int _stepsRun;

    public ICensusStore Store { get; } = store;

    public StoreCertificates Certificates { get; } = new(store);

    public NodeOptions Options { get; } = options;

    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>The domains this node's entities scan and the addresses each entity owns.</summary>
    public PlannedAddresses Planned { get; } = new();

    /// <summary>The node's <see cref="PermitClient"/> once it is in its cluster: permits for addresses an entity does not own
    /// come from the region's address gates. Null (no cluster): every permit from the node's limiter.</summary>
    public Akka.Actor.IActorRef? Permits { get; set; }

    /// <summary>The node's loggers: category <c>node ID</c> for its own lines, <c>akka</c> for Akka's.</summary>
    public ILoggerFactory Logging { get; } = logging;

    /// <summary>Targets this process scanned (ran at least one step of).</summary>
    public int TargetsScanned => _targetsScanned;

    /// <summary>Steps this process ran; replayed steps are not counted.</summary>
    public int StepsRun => _stepsRun;

    public void CountTarget(int stepsRun)
    {
        if (stepsRun > 0)
        {
            Interlocked.Increment(ref _targetsScanned);
            Interlocked.Add(ref _stepsRun, stepsRun);
        }
    }

    /// <summary>The census's scan context on this node, built once from its stored settings (the node's --dns wins, and then
    /// the node resolves every target itself).</summary>
    public CensusScanContext ContextFor(CensusInfo census) =>
        _contexts.GetOrAdd(census.CensusId, _ => new Lazy<CensusScanContext>(() =>
        {
            var settings = CensusSettings.FromJson(census.SettingsJson);
            if (Options.DnsOverride is { Count: > 0 } dns)
            {
                settings = settings with { DnsServers = dns };
            }

            var client = Permits;
            // Planning's discovery, from this process's planner or the store, unless the node has its own DNS: another
            // region's view of DNS is a fact the vantage comparison compares, so that node resolves for itself.
            var planned = Options.DnsOverride is { Count: > 0 } ? null
                : new StoredPlannedDiscovery(Store, census.CensusId, Time, Logger,
                    Options.PlannedDiscovery is { } p && p.CensusId == census.CensusId ? p : null);
            return contexts?.Invoke(settings) ?? CensusScanContext.Create(settings, Options, Certificates,
                client is null ? null : limiter => new RegionPermits(census.CensusId, this, limiter, client), Time, planned);
        })).Value;

    private ILogger Logger => field ??= Logging.CreateLogger("node " + Options.NodeId);

    public void Log(string message) => Logger.LogInformation("{Message}", message);
}
