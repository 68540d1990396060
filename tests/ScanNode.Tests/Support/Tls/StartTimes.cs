using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>Records when, on <paramref name="time"/>, each connection was opened (to check spacing on a fake clock).</summary>
internal sealed class StartTimes(ITlsConnectionFactory inner, TimeProvider time) : ITlsConnectionFactory
{
    private readonly List<DateTimeOffset> _times = [];

    public IReadOnlyList<DateTimeOffset> Times
    {
        get
        {
            lock (_times)
            {
                return [.. _times];
            }
        }
    }

    /// <summary>The gaps between consecutive starts.</summary>
    public IReadOnlyList<TimeSpan> Gaps
    {
        get
        {
            var times = Times;
            return [.. times.Zip(times.Skip(1), (earlier, later) => later - earlier)];
        }
    }

    public Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        lock (_times)
        {
            _times.Add(time.GetUtcNow());
        }

        return inner.OpenAsync(cancellationToken);
    }
}
