using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>What an embedded run did: the final counts and what this process itself scanned.</summary>
public sealed record EmbeddedOutcome(RegionProgress? Progress, int TargetsScannedNow, int StepsRunNow, bool Finished);

/// <summary>
/// The embedded default: coordinator and one scan node in one process on one store (SQLite unless told
/// otherwise). The node is the same <see cref="NodeWorker"/> as <c>xmppscan node</c>, with an exit when the
/// census is finished in its region. Stopped by Ctrl-C or killed, the same command resumes: finished targets
/// have their events and are not scanned again, a half-done target continues at its next step. The node tells
/// <see cref="NodeOptions.Progress"/> what it does, and <paramref name="display"/> shows it while the run goes on.
/// </summary>
public sealed class EmbeddedCensus(ICensusStore store, NodeOptions node, TextWriter log, ProgressDisplay? display)
{
    public async Task<EmbeddedOutcome> RunAsync(Guid censusId, CancellationToken ct)
    {
        var worker = new NodeWorker(new StoreNodeAdapter(store), node with { ExitWhenCensusDone = censusId }, log);
        var work = worker.RunAsync(ct);
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
            if (all.All(p => p.TargetsRemaining == 0))
            {
                await store.SetCensusStateAsync(censusId, CensusState.Completed, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new EmbeddedOutcome(progress, worker.TargetsScanned, worker.StepsRun, finished);
    }
}
