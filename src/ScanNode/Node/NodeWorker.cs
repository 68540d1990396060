using System.Collections.Concurrent;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// A scan node: registers, heartbeats, leases shards of its region, scans their pending targets with one
/// <see cref="TargetActor"/> each (Akka.NET persistent actors in the node's <see cref="NodeActors"/>; at most <see cref="NodeOptions.TargetsInFlight"/> at once), renews every held
/// lease at a third of its duration, completes targets and shards under the lease's fencing token, and gives
/// its shards back on shutdown. Store outages are waited out: each loop retries after its interval. A node that
/// dies keeps its leases only until they expire; then another node takes the shards and its actors continue
/// every half-done target from its journal.
/// </summary>
/// <param name="store">The census store as a node sees it.</param>
/// <param name="options">Identity, capacity, lease timing.</param>
/// <param name="log">One line per lease, shard and problem.</param>
/// <param name="time">Clock for delays and log stamps.</param>
/// <param name="contexts">Builds a census's scan context from its settings; default <see cref="CensusScanContext.Create"/>.</param>
public sealed class NodeWorker(INodeStore store, NodeOptions options, TextWriter log, TimeProvider? time = null,
    Func<CensusSettings, CensusScanContext>? contexts = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.TargetsInFlight));
    private readonly ConcurrentDictionary<Guid, Task<CensusScanContext>> _contexts = new();
    private readonly ConcurrentDictionary<Guid, int> _targetErrors = new();
    private int _targetsScanned;
    private int _stepsRun;

    /// <summary>Targets this process scanned (actors that ran at least one step).</summary>
    public int TargetsScanned => _targetsScanned;

    /// <summary>Steps this process ran; replayed steps are not counted.</summary>
    public int StepsRun => _stepsRun;

    /// <summary>Runs until <paramref name="ct"/> is cancelled or, with <see cref="NodeOptions.ExitWhenCensusDone"/>, the census is finished.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (options.ReclaimOwnLeases)
        {
            await RetryAsync(c => store.ReleaseAllAsync(options.NodeId, c), ct).ConfigureAwait(false);
        }

        await RetryAsync(c => store.RegisterAsync(options.NodeId, options.Region, c), ct).ConfigureAwait(false);
        Log($"registered in region {options.Region}");
        // The actor system takes a moment to start (seconds on a loaded machine): lease and renew meanwhile.
        var actors = Task.Run(() => NodeActors.Start(store.Persistence, options.NodeId, options.Region, _time, log), CancellationToken.None);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = HeartbeatLoopAsync(stopping.Token);
        var shards = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                shards.RemoveAll(t => t.IsCompleted);
                var free = Math.Max(0, options.TargetsInFlight - shards.Count);
                IReadOnlyList<NodeLease> leases = [];
                if (free > 0)
                {
                    try
                    {
                        leases = await store.LeaseAsync(options.NodeId, options.Region, free, options.LeaseDuration, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Log($"lease failed, retrying: {e.GetType().Name}: {e.Message}");
                    }
                }

                foreach (var lease in leases)
                {
                    shards.Add(RunShardAsync(actors, lease, stopping.Token));
                }

                if (leases.Count == 0 && shards.Count == 0 && options.ExitWhenCensusDone is { } census
                    && await FinishedAsync(census, ct).ConfigureAwait(false))
                {
                    Log("census finished");
                    break;
                }

                var poll = Task.Delay(options.PollInterval, _time, ct);
                await Task.WhenAny([poll, .. shards]).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(shards.Append(heartbeat)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            using var giveBack = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await store.ReleaseAllAsync(options.NodeId, giveBack.Token).ConfigureAwait(false);
                Log("leases given back, stopped");
            }
            catch (Exception e)
            {
                Log($"could not give leases back (they expire): {e.Message}");
            }

            await (await actors.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RunShardAsync(Task<NodeActors> actors, NodeLease lease, CancellationToken ct)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewLoopAsync(lease, held);
        var allDone = false;
        try
        {
            var context = await ContextAsync(lease.CensusId, held.Token).ConfigureAwait(false);
            var targets = (await store.TargetsAsync(lease, held.Token).ConfigureAwait(false)).Where(t => t.Pending).ToList();
            Log($"leased shard {lease.ShardKey} (token {lease.Token}): {targets.Count} pending targets");

            // Targets of one shard share addresses; more of them at once than one address allows would only queue.
            var results = new List<Task<bool>>();
            foreach (var target in targets)
            {
                results.Add(ScanTargetAsync(actors, lease, target, context, held.Token));
            }

            allDone = (await Task.WhenAll(results).ConfigureAwait(false)).All(ok => ok);
            if (allDone && await store.CompleteShardAsync(lease, held.Token).ConfigureAwait(false))
            {
                Log($"shard {lease.ShardKey} done");
            }
        }
        catch (OperationCanceledException) when (held.IsCancellationRequested)
        {
            if (!ct.IsCancellationRequested)
            {
                Log($"shard {lease.ShardKey}: lease lost, stopped");
            }
        }
        catch (Exception e)
        {
            Log($"shard {lease.ShardKey} failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await held.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
            if (!allDone && !ct.IsCancellationRequested)
            {
                await TryAsync(c => store.ReleaseAsync(lease, c)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when the target is recorded done or failed; false when it must be tried again.</summary>
    private async Task<bool> ScanTargetAsync(Task<NodeActors> actors, NodeLease lease, NodeTarget target, CensusScanContext context,
        CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var origin = new EventOrigin(lease.CensusId, TargetStreams.For(target.TargetId, lease.Region, target.Generation), options.NodeId, lease.Region);
            var (state, stepsRun) = await (await actors.WaitAsync(ct).ConfigureAwait(false)).RunAsync(origin, context.Steps, context.Runner,
                new StartTargetScan(target.TargetId, target.Domain, context.Modes, context.Steps.EndpointStepNames), ct).ConfigureAwait(false);
            if (stepsRun > 0)
            {
                Interlocked.Increment(ref _targetsScanned);
                Interlocked.Add(ref _stepsRun, stepsRun);
            }

            var failed = state.Outcome == ProbeStatus.Failed;
            if (!await store.CompleteTargetAsync(lease, target.TargetId, failed, ct).ConfigureAwait(false))
            {
                throw new OperationCanceledException("lease lost");
            }

            options.Progress?.TargetFinished(target.Domain);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var errors = _targetErrors.AddOrUpdate(target.TargetId, 1, (_, n) => n + 1);
            if (errors < options.MaxTargetErrors)
            {
                Log($"{target.Domain}: {e.GetType().Name}: {e.Message}; will be retried");
                return false;
            }

            // A bug must not keep a census from ending: record the target as failed, with the error as the reason.
            Log($"{target.Domain}: {e.GetType().Name}: {e.Message}; failed {errors} times, given up");
            var abandoned = await AbandonAsync(actors, lease, target, context, e, ct).ConfigureAwait(false);
            if (abandoned)
            {
                options.Progress?.TargetFinished(target.Domain);
            }

            return abandoned;
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<bool> AbandonAsync(Task<NodeActors> actors, NodeLease lease, NodeTarget target, CensusScanContext context,
        Exception error, CancellationToken ct)
    {
        try
        {
            var origin = new EventOrigin(lease.CensusId, TargetStreams.For(target.TargetId, lease.Region, target.Generation), options.NodeId, lease.Region);
            var reason = new Shared.Model.ProbeFailure(Shared.Model.FailureKind.Cancelled,
                $"scanner error, target given up: {error.GetType().Name}: {error.Message}");
            await (await actors.WaitAsync(ct).ConfigureAwait(false)).RunAsync(origin, context.Steps, context.Runner, new AbandonTargetScan(reason), ct).ConfigureAwait(false);
            return await store.CompleteTargetAsync(lease, target.TargetId, failed: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log($"{target.Domain}: could not give up: {e.Message}");
            return false;
        }
    }

    private async Task RenewLoopAsync(NodeLease lease, CancellationTokenSource held)
    {
        var interval = options.LeaseDuration / 3;
        try
        {
            while (!held.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, held.Token).ConfigureAwait(false);
                NodeLease? renewed;
                try
                {
                    renewed = await store.RenewAsync(lease, options.LeaseDuration, held.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Store unreachable: keep trying until the lease would have expired.
                    Log($"renew of {lease.ShardKey} failed: {e.Message}");
                    if (_time.GetUtcNow() < lease.ExpiresAt)
                    {
                        continue;
                    }

                    renewed = null;
                }

                if (renewed is null)
                {
                    await held.CancelAsync().ConfigureAwait(false);
                    return;
                }

                lease = renewed;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(options.HeartbeatInterval, _time, ct).ConfigureAwait(false);
                await TryAsync(async c =>
                {
                    if (!await store.HeartbeatAsync(options.NodeId, c).ConfigureAwait(false))
                    {
                        await store.RegisterAsync(options.NodeId, options.Region, c).ConfigureAwait(false);
                    }
                }, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task<CensusScanContext> ContextAsync(Guid censusId, CancellationToken ct)
    {
        if (_contexts.TryGetValue(censusId, out var known) && (known.IsFaulted || known.IsCanceled))
        {
            _contexts.TryRemove(new KeyValuePair<Guid, Task<CensusScanContext>>(censusId, known));
        }

        return _contexts.GetOrAdd(censusId, async id =>
        {
            var settings = await store.SettingsAsync(id, ct).ConfigureAwait(false);
            return contexts?.Invoke(settings) ?? CensusScanContext.Create(settings, options, store);
        });
    }

    private async Task<bool> FinishedAsync(Guid census, CancellationToken ct)
    {
        try
        {
            return await store.IsCensusFinishedAsync(census, options.Region, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log($"progress check failed: {e.Message}");
            return false;
        }
    }

    private async Task RetryAsync(Func<CancellationToken, Task> action, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await action(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log($"store not reachable, retrying: {e.Message}");
                await Task.Delay(options.PollInterval, _time, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task TryAsync(Func<CancellationToken, Task> action, CancellationToken ct = default)
    {
        try
        {
            await action(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log($"store call failed: {e.Message}");
        }
    }

    private void Log(string message)
    {
        lock (log)
        {
            log.WriteLine($"{_time.GetUtcNow():HH:mm:ss.fff} node {options.NodeId}: {message}");
            log.Flush();
        }
    }
}
