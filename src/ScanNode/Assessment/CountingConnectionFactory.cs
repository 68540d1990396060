using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Counts connections per probe label (the assessment's cost as a rate-limited server sees it) and keeps
/// them strictly sequential, with an optional minimum spacing between two connection starts.
/// </summary>
public sealed class CountingConnectionFactory(ITlsConnectionFactory inner, TimeSpan minimumSpacing = default, TimeProvider? clock = null)
    : ITlsConnectionFactory
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _sequential = new(1, 1);
    private readonly List<(string Probe, int Count)> _counts = [];
    private long? _lastStart;

    /// <summary>The label the next connections are counted under.</summary>
    public string Probe { get; set; } = "other";

    /// <summary>Connections opened so far.</summary>
    public int Total { get; private set; }

    /// <summary>Connections per label, in the order the labels first appeared.</summary>
    public IReadOnlyList<(string Probe, int Count)> PerProbe => _counts;

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        await _sequential.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastStart is { } last && minimumSpacing > TimeSpan.Zero)
            {
                var wait = minimumSpacing - _clock.GetElapsedTime(last);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                }
            }

            _lastStart = _clock.GetTimestamp();
            Total++;
            var i = _counts.FindIndex(c => c.Probe == Probe);
            if (i < 0)
            {
                _counts.Add((Probe, 1));
            }
            else
            {
                _counts[i] = (Probe, _counts[i].Count + 1);
            }

            return await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sequential.Release();
        }
    }
}
