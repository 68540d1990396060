using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// Counts the connections that reached the inner factory, and records the start instants a
/// <see cref="Assessment.CountingConnectionFactory"/> granted (hand it <see cref="Granted"/> as its <c>OnStart</c>):
/// the spacing is checked on those, the instants the factory counted it from, on the fake clock it waited on.
/// </summary>
internal sealed class StartTimes(ITlsConnectionFactory inner) : ITlsConnectionFactory
{
    private readonly List<DateTimeOffset> _granted = [];
    private int _opened;

    /// <summary>Connections that reached the inner factory.</summary>
    public int Opened => Volatile.Read(ref _opened);

    public IReadOnlyList<DateTimeOffset> Times
    {
        get
        {
            lock (_granted)
            {
                return [.. _granted];
            }
        }
    }

    /// <summary>The gaps between consecutive granted starts.</summary>
    public IReadOnlyList<TimeSpan> Gaps
    {
        get
        {
            var times = Times;
            return [.. times.Zip(times.Skip(1), (earlier, later) => later - earlier)];
        }
    }

    public void Granted(DateTimeOffset at)
    {
        lock (_granted)
        {
            _granted.Add(at);
        }
    }

    public Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        return inner.OpenAsync(cancellationToken);
    }
}
