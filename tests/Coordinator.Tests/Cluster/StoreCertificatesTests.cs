using System.Security.Cryptography;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The session step's certificate sink on a real SQLite store: a chain this node stored is not written again (a
/// hosting server presents one chain for all its domains and ports), a new certificate beside it is, and every one of
/// them reads back.</summary>
public sealed class StoreCertificatesTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-certs-").FullName;
    private ICensusStore _store = null!;

    public async Task InitializeAsync() => _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "certs.db"));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SameChainTwice_writtenOnce_aNewCertificateBesideIt_writtenAlone_allReadBack()
    {
        var counting = CountingStore.Wrap(_store);
        var sink = new StoreCertificates(counting.Store);
        byte[] leaf = RandomNumberGenerator.GetBytes(900), intermediate = RandomNumberGenerator.GetBytes(1100), other = RandomNumberGenerator.GetBytes(800);

        await sink.PutAsync([leaf, intermediate], CancellationToken.None);
        await sink.PutAsync([leaf, intermediate], CancellationToken.None);
        Assert.Equal(1, counting.Calls(nameof(ICensusStore.PutCertificatesAsync)));

        await sink.PutAsync([other, intermediate], CancellationToken.None);
        Assert.Equal(2, counting.Calls(nameof(ICensusStore.PutCertificatesAsync)));

        foreach (var der in new[] { leaf, intermediate, other })
        {
            Assert.Equal(der, await sink.GetAsync(Convert.ToHexStringLower(SHA256.HashData(der)), CancellationToken.None));
        }
    }
}
