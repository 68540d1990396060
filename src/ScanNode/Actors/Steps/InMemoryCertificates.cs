using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>The certificate table of a scan that keeps no store (<c>xmppscan scan</c>): DER by SHA-256, in memory for
/// the life of the scan, so the certificate step reads back the chain the session kept exactly as in a census.</summary>
public sealed class InMemoryCertificates : ICertificateSink, ICertificateSource
{
    private readonly ConcurrentDictionary<string, byte[]> _byHash = new(StringComparer.Ordinal);

    public Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct)
    {
        foreach (var der in ders)
        {
            _byHash.TryAdd(Convert.ToHexStringLower(SHA256.HashData(der)), der);
        }

        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) =>
        Task.FromResult(_byHash.TryGetValue(sha256, out var der) ? der : null);
}
