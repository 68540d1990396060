using Microsoft.Extensions.Logging;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>What an embedded run did: the final counts and what this process itself scanned.</summary>
public sealed record EmbeddedOutcome(RegionProgress? Progress, int TargetsScannedNow, int StepsRunNow, bool Finished);

/// <summary>
/// The embedded default: coordinator and a one-node cluster in one process on one store (SQLite unless told
/// otherwise). The node is the same <see cref="ScanClusterNode"/> as <c>xmppscan node</c>, joined to itself on an
/// ephemeral loopback port; the run ends when the census is finished in the node's region. Stopped by Ctrl-C or killed,
/// the same command resumes: finished targets are recorded and not scanned again, a half-done target continues at its
/// next step from its events. The node tells <see cref="NodeOptions.Progress"/> what it does, and
/// <paramref name="display"/> shows it while the run goes on; the node logs through <paramref name="logging"/> (the
/// command's, shared with the planner).
/// </summary>
public sealed class EmbeddedCensus(ICensusStore store, NodeOptions node, ILoggerFactory logging, ProgressDisplay? display)
{
    public async Task<EmbeddedOutcome> RunAsync(Guid censusId, CancellationToken ct)
    {
        var runtime = new NodeRuntime(store, node, logging);
        var work = RunNodeAsync(runtime, censusId, ct);
        if (display is not null)
        {
            await display.RunAsync(work).ConfigureAwait(false);
        }

        await work.ConfigureAwait(false);

        var progress = (await store.GetProgressAsync(censusId, CancellationToken.None).ConfigureAwait(false))
            .FirstOrDefault(p => p.Region == node.Region);
        var finished = progress is not null && progress.TargetsRemaining == 0 && progress.TargetsPlanned == progress.TargetsTotal;
        if (finished)
        {
            var all = await store.GetProgressAsync(censusId, CancellationToken.None).ConfigureAwait(false);
            var census = await store.GetCensusAsync(censusId, CancellationToken.None).ConfigureAwait(false);
            if (all.All(p => p.TargetsRemaining == 0) && census?.State == CensusState.Running)
            {
                await store.SetCensusStateAsync(censusId, CensusState.Completed, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new EmbeddedOutcome(progress, runtime.TargetsScanned, runtime.StepsRun, finished);
    }

    private static async Task RunNodeAsync(NodeRuntime runtime, Guid censusId, CancellationToken ct)
    {
        if (!await ScanClusterNode.RunUntilFinishedAsync(runtime, new ClusterOptions(), censusId, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the in-process node's actor system stopped");
        }
    }
}
