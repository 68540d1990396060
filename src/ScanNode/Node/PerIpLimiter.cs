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
    private readonly ConcurrentDictionary<IPAddress, Slot> _slots = new();

    /// <summary>
    /// Waits for a free connection slot and the spacing; dispose the result when the connection closes. The result
    /// carries the instant the start was granted: the spacing is measured between these instants, so a log that
    /// wants to show the spacing must record them, not a later clock reading taken after a thread switch.
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
                lock (slot)
                {
                    var now = _time.GetUtcNow();
                    wait = slot.NextStart - now;
                    if (wait <= TimeSpan.Zero)
                    {
                        slot.NextStart = now + spacing;
                        slot.BackedOff = false;
                        return new Grant(slot, now);
                    }

                    reason = slot.BackedOff ? WaitReason.BackOff : WaitReason.Spacing;
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
        return new AddressPermit(grant, grant.GrantedAt);
    }

    void IAddressPermits.BackOff(Shared.Model.XmppEndpoint endpoint, TimeSpan wait) => BackOff(endpoint.Address, wait);

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    internal sealed class Slot(int max)
    {
        public SemaphoreSlim Concurrency { get; } = new(max, max);

        public DateTimeOffset NextStart { get; set; } = DateTimeOffset.MinValue;

        /// <summary>The next start was pushed out by a back-off, not only by the spacing.</summary>
        public bool BackedOff { get; set; }
    }

    /// <summary>A granted connection start; disposing it frees the slot (once).</summary>
    public sealed class Grant : IDisposable
    {
        private readonly Slot _slot;
        private int _done;

        internal Grant(Slot slot, DateTimeOffset grantedAt)
        {
            _slot = slot;
            GrantedAt = grantedAt;
        }

        /// <summary>When the limiter let this connection start (the time it counted the spacing from).</summary>
        public DateTimeOffset GrantedAt { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                _slot.Concurrency.Release();
            }
        }
    }
}
