using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>The certificate table (DER once per SHA-256). Events are Akka.Persistence.Sql's (<see cref="ICensusStore.Events"/>).</summary>
public sealed partial class SqliteCensusStore
{
    public Task<CertificatesStored> PutCertificatesAsync(IReadOnlyList<ReadOnlyMemory<byte>> ders, CancellationToken ct = default)
    {
        var hashes = ders.Select(d => SHA256.HashData(d.Span)).ToList();
        var now = _time.GetUtcNow();
        return WriteAsync(async (c, tx) =>
        {
            var added = 0;
            for (var i = 0; i < ders.Count; i++)
            {
                added += await c.ExecAsync(tx, """
                    INSERT INTO certs (sha256, der, first_seen_at) VALUES ($h, $der, $now) ON CONFLICT DO NOTHING
                    """, ct, ("$h", hashes[i]), ("$der", ders[i].ToArray()), ("$now", now));
            }

            return new CertificatesStored(hashes.Select(StoreRules.Hex).ToList(), added);
        }, ct);
    }

    public Task<byte[]?> GetCertificateAsync(string sha256Hex, CancellationToken ct = default)
    {
        var key = StoreRules.ParseSha256(sha256Hex);
        return ReadAsync(async c => await c.ScalarAsync(null, "SELECT der FROM certs WHERE sha256 = $h", ct, ("$h", key)) as byte[], ct);
    }
}
