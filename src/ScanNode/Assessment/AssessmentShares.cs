using System.Collections.Immutable;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The full assessments an address's endpoints may share (issue 14): one per TLS configuration seen on the address,
/// kept by the composition that runs the assessment step — one <c>xmppscan scan</c>, or one census on one node (the
/// census shards targets by address, so the endpoints of an address meet on one node). The first endpoint of an
/// address assesses in full while the others of that address wait for it (their connections would only queue behind
/// its connections at the per-IP limit); then each verifies against the source most like it (same port, then same
/// transport and mode, then same transport, then any). After a difference it waits for a full assessment of the address
/// in progress (a concurrent target's endpoint of the same configuration) and verifies against that, else assesses in
/// full itself, adding that configuration for the endpoints after it. In memory only: a node that restarts assesses an address in full again.
/// At most <see cref="MaxAddresses"/> addresses and <see cref="MaxPerAddress"/> configurations each are kept, the
/// least recently used address dropped first (a census visits an address's targets together).
/// </summary>
public sealed class AssessmentShares
{
    public const int MaxAddresses = 1024;
    public const int MaxPerAddress = 8;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AddressShares> _addresses = new(StringComparer.Ordinal);
    private long _clock;

    private sealed class AddressShares
    {
        public List<SharedAssessment> Done { get; } = [];

        public TaskCompletionSource? Running { get; set; }

        public long LastUsed { get; set; }
    }

    /// <summary>
    /// The source to verify against, or — when the address has none yet — the turn to assess in full
    /// (<see cref="ShareTurn.Assessing"/>; the caller must <see cref="EndTurn"/>): one full assessment per address at a
    /// time, the others wait for it.
    /// </summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    /// <param name="endpoint">The endpoint to assess.</param>
    /// <param name="tried">Sources its verification already differed from: not offered again (after a difference the endpoint
    /// waits for a full assessment of the address in progress — likely of its own configuration — before it assesses in full).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    internal async Task<ShareTurn> TakeTurnAsync(XmppEndpoint endpoint, IReadOnlyCollection<SharedAssessment> tried, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task running;
            lock (_lock)
            {
                var address = Entry(endpoint);
                if (Best(address.Done.Where(d => !tried.Contains(d)), endpoint) is { } source)
                {
                    return new ShareTurn(source, false);
                }

                if (address.Running is null)
                {
                    address.Running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return new ShareTurn(null, true);
                }

                running = address.Running.Task;
            }

            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A full assessment of <paramref name="endpoint"/> others may verify against.</summary>
    internal void Publish(XmppEndpoint endpoint, TlsAssessmentReport report, ImmutableArray<RecordedHello> plan)
    {
        lock (_lock)
        {
            var address = Entry(endpoint);
            if (address.Done.Count < MaxPerAddress)
            {
                address.Done.Add(new SharedAssessment(Source(endpoint), report, plan));
            }
        }
    }

    /// <summary>Ends the full-assessment turn <see cref="TakeTurnAsync"/> gave (published or not: cancelled, throttled,
    /// failed): the endpoints waiting on the address go on.</summary>
    internal void EndTurn(XmppEndpoint endpoint)
    {
        TaskCompletionSource? running;
        lock (_lock)
        {
            var address = Entry(endpoint);
            running = address.Running;
            address.Running = null;
        }

        running?.TrySetResult();
    }

    /// <summary>
    /// The verified TLS service <paramref name="endpoint"/> belongs to, whose later phases' results its endpoints share
    /// (<see cref="SharedFollowUps"/>): the full assessment its own was verified against, or its own full assessment when
    /// others may verify against it. Null — nothing shared, every phase on its own — when its assessment is neither (its
    /// verification differed and its own was not shareable, or it was never offered: <c>--no-sharing</c>, or a node that
    /// restarted since).
    /// </summary>
    internal SharedAssessment? ServiceOf(XmppEndpoint endpoint, TlsAssessmentReport assessment)
    {
        var source = assessment.Sharing is { Verified: true } sharing ? sharing.Source : Source(endpoint);
        lock (_lock)
        {
            return _addresses.TryGetValue(endpoint.Address.ToString(), out var address)
                ? address.Done.FirstOrDefault(d => d.Source == source)
                : null;
        }
    }

    /// <summary>The endpoint as a report names a source.</summary>
    public static SharedSource Source(XmppEndpoint endpoint) =>
        new(endpoint.Domain, endpoint.Mode, endpoint.Transport, endpoint.Address.ToString(), endpoint.Port);

    private AddressShares Entry(XmppEndpoint endpoint)
    {
        var key = endpoint.Address.ToString();
        if (!_addresses.TryGetValue(key, out var address))
        {
            if (_addresses.Count >= MaxAddresses)
            {
                Evict();
            }

            address = _addresses[key] = new AddressShares();
        }

        address.LastUsed = ++_clock;
        return address;
    }

    private void Evict()
    {
        string? oldest = null;
        long at = long.MaxValue;
        foreach (var (key, address) in _addresses)
        {
            if (address.Running is null && address.LastUsed < at)
            {
                (oldest, at) = (key, address.LastUsed);
            }
        }

        if (oldest is not null)
        {
            _addresses.Remove(oldest);
        }
    }

    private static SharedAssessment? Best(IEnumerable<SharedAssessment> done, XmppEndpoint endpoint)
    {
        SharedAssessment? best = null;
        var bestScore = -1;
        foreach (var d in done)
        {
            var s = d.Source;
            var score = s.Transport != endpoint.Transport ? 0
                : s.Mode != endpoint.Mode ? 1
                : s.Port != endpoint.Port ? 2
                : 3;
            if (score > bestScore)
            {
                (best, bestScore) = (d, score);
            }
        }

        return best;
    }
}

/// <summary>A full assessment that others may share, with the hellos that verify it.</summary>
internal sealed record SharedAssessment(SharedSource Source, TlsAssessmentReport Report, ImmutableArray<RecordedHello> Plan)
{
    /// <summary>The service's vulnerability probe and client simulation results, shared by its endpoints.</summary>
    public FollowUpShares FollowUps { get; } = new();
}

/// <summary>What <see cref="AssessmentShares.TakeTurnAsync"/> gave: a source to verify against, or the turn to assess in full.</summary>
internal readonly record struct ShareTurn(SharedAssessment? Source, bool Assessing);
