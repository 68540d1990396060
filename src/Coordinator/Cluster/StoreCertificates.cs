using System.Collections.Concurrent;
using System.Security.Cryptography;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Steps;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>The census store's certificate table, which the session step writes and the certificate step reads. (The
/// target events are not the store's: the node's actor system persists them through Akka.Persistence.Sql,
/// <c>CensusPersistence</c>.)
/// <para>Certificates this node already stored are not written again: a hosting server presents one chain for every
/// domain and port it serves (the federation's largest address, 1,765 domains × 4 endpoints), and each write is a
/// transaction on the store's single writer (SQLite) that changes nothing. The table keeps a certificate once per
/// SHA-256 and never deletes one, so "stored by this node" stays true; the memory is bounded by
/// <see cref="MaxRemembered"/> (then forgotten and written again, which the table ignores).</para></summary>
public sealed class StoreCertificates(ICensusStore store) : ICertificateSink, ICertificateSource
{
    /// <summary>SHA-256 digests remembered (about 100 bytes each).</summary>
    internal const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, byte> _stored = new(StringComparer.Ordinal);

    public async Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct)
    {
        var fresh = new List<(string Sha256, ReadOnlyMemory<byte> Der)>(ders.Count);
        foreach (var der in ders)
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(der));
            if (!_stored.ContainsKey(sha256))
            {
                fresh.Add((sha256, der));
            }
        }

        if (fresh.Count == 0)
        {
            return;
        }

        await store.PutCertificatesAsync([.. fresh.Select(f => f.Der)], ct).ConfigureAwait(false);
        if (_stored.Count + fresh.Count > MaxRemembered)
        {
            _stored.Clear();
        }

        foreach (var (sha256, _) in fresh)
        {
            _stored.TryAdd(sha256, 0);
        }
    }

    public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) => store.GetCertificateAsync(sha256, ct);
}
