using System.Collections.Concurrent;
using System.Net;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// Per server address: at most <c>maxConcurrent</c> connections open at once and at least <c>spacing</c> between
/// two connection starts; <see cref="BackOff"/> pushes the next allowed start further out after the server
/// throttled us. Shards are cut by address, so the node that holds an address's shard is the only one
/// connecting to it and these limits hold cluster-wide.
/// </summary>
public sealed class PerIpLimiter(int maxConcurrent, TimeSpan spacing, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<IPAddress, Slot> _slots = new();

    /// <summary>Waits for a free connection slot and the spacing; dispose the result when the connection closes.</summary>
    public async ValueTask<IDisposable> EnterAsync(IPAddress address, CancellationToken ct)
    {
        var slot = _slots.GetOrAdd(Normalize(address), _ => new Slot(Math.Max(1, maxConcurrent)));
        await slot.Concurrency.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (slot)
                {
                    var now = _time.GetUtcNow();
                    wait = slot.NextStart - now;
                    if (wait <= TimeSpan.Zero)
                    {
                        slot.NextStart = now + spacing;
                        return new Release(slot);
                    }
                }

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
            }
        }
    }

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private sealed class Slot(int max)
    {
        public SemaphoreSlim Concurrency { get; } = new(max, max);

        public DateTimeOffset NextStart { get; set; } = DateTimeOffset.MinValue;
    }

    private sealed class Release(Slot slot) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                slot.Concurrency.Release();
            }
        }
    }
}
