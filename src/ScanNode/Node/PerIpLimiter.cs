using System.Collections.Concurrent;
using System.Net;
using XmppScanCluster.ScanNode.Progress;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// Per server address: at most <c>maxConcurrent</c> connections open at once and at least <c>spacing</c> between
/// two connection starts; <see cref="BackOff"/> pushes the next allowed start further out after the server
/// throttled us. Shards are cut by address, so the node that holds an address's shard is the only one
/// connecting to it (addresses its shard does not own go through the region's gate of that address, see
/// <see cref="IAddressPermits"/>) and these limits hold cluster-wide. Every wait for the spacing or a back-off is told to
/// <c>progress</c> (the operator sees "waiting 1.6 s for 192.0.2.1 (spacing)" instead of a frozen display).
/// </summary>
public sealed class PerIpLimiter(int maxConcurrent, TimeSpan spacing, TimeProvider? time = null, IScanProgress? progress = null)
    : IAddressPermits
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _spacing = spacing;
    private readonly ConcurrentDictionary<IPAddress, Slot> _slots = new();

    /// <summary>
    /// Waits for a free connection slot and the spacing; dispose the result when the connection closes, and call
    /// <see cref="Grant.Started"/> once its SYN is out. The spacing counts from that report, not from the grant: a grant
    /// delivered late (a loaded node runs the continuation late, a remote gate's message travels) starts its connection
    /// late, and counting from the grant shortened the next gap by that delay (a stress run measured 3.065 s then 1.137 s
    /// at spacing 2 s). So with a spacing, no other grant for the address is made until the last one reported its start
    /// (or was released without one), and the next start is due a spacing after that report: real connection starts
    /// are at least the spacing apart.
    /// </summary>
    public async ValueTask<Grant> EnterAsync(IPAddress address, CancellationToken ct)
    {
        var slot = _slots.GetOrAdd(Normalize(address), _ => new Slot(Math.Max(1, maxConcurrent)));
        await slot.Concurrency.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                WaitReason reason;
                Task? starting;
                lock (slot)
                {
                    starting = slot.Starting?.Task;
                    var now = _time.GetUtcNow();
                    wait = slot.NextStart - now;
                    if (starting is null && wait <= TimeSpan.Zero)
                    {
                        slot.NextStart = now + _spacing;
                        slot.BackedOff = false;
                        var grant = new Grant(this, slot, now);
                        slot.Starting = grant.StartReported;
                        return grant;
                    }

                    reason = slot.BackedOff ? WaitReason.BackOff : WaitReason.Spacing;
                }

                if (starting is not null)
                {
                    // The last grant's connection has not started yet: its start, not its grant, sets the next one.
                    await starting.WaitAsync(ct).ConfigureAwait(false);
                    continue;
                }

                progress?.Waiting(address, wait, reason);
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            slot.Concurrency.Release();
            throw;
        }
    }

    /// <summary>No new connection to <paramref name="address"/> before <paramref name="wait"/> from now.</summary>
    public void BackOff(IPAddress address, TimeSpan wait)
    {
        var slot = _slots.GetOrAdd(Normalize(address), _ => new Slot(Math.Max(1, maxConcurrent)));
        lock (slot)
        {
            var until = _time.GetUtcNow() + wait;
            if (until > slot.NextStart)
            {
                slot.NextStart = until;
                slot.BackedOff = true;
            }
        }
    }

    async ValueTask<AddressPermit> IAddressPermits.EnterAsync(Shared.Model.XmppEndpoint endpoint, CancellationToken ct)
    {
        var grant = await EnterAsync(endpoint.Address, ct).ConfigureAwait(false);
        return new AddressPermit(grant, grant.GrantedAt, grant.Started);
    }

    void IAddressPermits.BackOff(Shared.Model.XmppEndpoint endpoint, TimeSpan wait) => BackOff(endpoint.Address, wait);

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    internal sealed class Slot(int max)
    {
        public SemaphoreSlim Concurrency { get; } = new(max, max);

        public DateTimeOffset NextStart { get; set; } = DateTimeOffset.MinValue;

        /// <summary>The next start was pushed out by a back-off, not only by the spacing.</summary>
        public bool BackedOff { get; set; }

        /// <summary>Completed when the last grant reported its start or was released; null when none is outstanding.</summary>
        public TaskCompletionSource? Starting { get; set; }
    }

    /// <summary>A granted connection start; <see cref="Started"/> reports its SYN, disposing it frees the slot (once).</summary>
    public sealed class Grant : IDisposable
    {
        private readonly PerIpLimiter _limiter;
        private readonly Slot _slot;
        private int _done;

        internal Grant(PerIpLimiter limiter, Slot slot, DateTimeOffset grantedAt)
        {
            _limiter = limiter;
            _slot = slot;
            GrantedAt = grantedAt;
            // Without a spacing nothing waits for the report (scan's parallel connections; a connect that hangs must not
            // hold back the others).
            StartReported = limiter._spacing > TimeSpan.Zero ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        }

        /// <summary>When the limiter let this connection start.</summary>
        public DateTimeOffset GrantedAt { get; }

        internal TaskCompletionSource? StartReported { get; }

        /// <summary>The connection's SYN is out: the address's next start is due a spacing from now (the instant returned),
        /// or later after a back-off. Once; a later call returns the first one's instant.</summary>
        public DateTimeOffset Started()
        {
            lock (_slot)
            {
                if (StartedAt is { } known)
                {
                    return known;
                }

                var now = _limiter._time.GetUtcNow();
                StartedAt = now;
                if (StartReported is not null && _slot.Starting == StartReported)
                {
                    if (now + _limiter._spacing > _slot.NextStart)
                    {
                        _slot.NextStart = now + _limiter._spacing;
                    }

                    _slot.Starting = null;
                }

                StartReported?.TrySetResult();
                return now;
            }
        }

        /// <summary>When <see cref="Started"/> was reported; null before.</summary>
        public DateTimeOffset? StartedAt { get; private set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                lock (_slot)
                {
                    // Released without a start (nothing was sent): the next start stays due a spacing after the grant.
                    if (StartReported is not null && _slot.Starting == StartReported)
                    {
                        _slot.Starting = null;
                    }
                }

                StartReported?.TrySetResult();
                _slot.Concurrency.Release();
            }
        }
    }
}
