using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Steps;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>The census store's certificate table, which the session step writes and the certificate step reads. (The
/// target events are not the store's: the node's actor system persists them through Akka.Persistence.Sql,
/// <c>CensusPersistence</c>.)</summary>
public sealed class StoreCertificates(ICensusStore store) : ICertificateSink, ICertificateSource
{
    public Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct) =>
        store.PutCertificatesAsync(ders.Select(d => (ReadOnlyMemory<byte>)d).ToList(), ct);

    public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) => store.GetCertificateAsync(sha256, ct);
}
