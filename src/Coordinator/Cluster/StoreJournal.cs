using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>The census store as the target actors' journal (<c>CensusJournal</c>) and the certificate table the
/// session writes and the certificate step reads.</summary>
public sealed class StoreJournal(ICensusStore store) : ITargetJournal, ICertificateSink, ICertificateSource
{
    public Task<IReadOnlyList<EventEnvelope>> ReadAsync(Guid censusId, Guid streamId, CancellationToken ct) =>
        store.ReadTargetAsync(censusId, streamId, 0, ct);

    public async Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken ct)
    {
        try
        {
            await store.AppendAsync(events, ct).ConfigureAwait(false);
        }
        catch (EventConflictException e)
        {
            throw new JournalConflictException(e.Message, e);
        }
    }

    public Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct) =>
        store.PutCertificatesAsync(ders.Select(d => (ReadOnlyMemory<byte>)d).ToList(), ct);

    public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) => store.GetCertificateAsync(sha256, ct);
}
