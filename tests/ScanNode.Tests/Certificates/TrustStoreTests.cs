using XmppScanCluster.ScanNode.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class TrustStoreTests
{
    private static string Pem(byte[] der) =>
        $"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n-----END CERTIFICATE-----\n";

    [Fact]
    public void PemFileWithRootIntermediateAndJunk_loadsTwoAndCountsTheBadBlock()
    {
        var pki = new TestPki();
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# bundle\n" + Pem(pki.Root.GetEncoded()) + Pem([0x30, 0x03, 0x01, 0x01, 0xff])
                + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + Pem(pki.Intermediate.GetEncoded()));

            var store = TrustStore.LoadPemFile(path);

            Assert.Equal(2, store.Count);
            Assert.Equal(1, store.Skipped);
            Assert.Single(store.Anchors); // the intermediate is known, not trusted
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_tryLoadReturnsFalseWithMessage()
    {
        Assert.False(TrustStore.TryLoadPemFile("/nonexistent/bundle.pem", out var store, out var error));
        Assert.Null(store);
        Assert.Contains("not found", error);
    }

    [Fact]
    public void FileWithoutCertificates_tryLoadReturnsFalse()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "nothing here");
            Assert.False(TrustStore.TryLoadPemFile(path, out _, out var error));
            Assert.Contains("no certificates", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CombineTwiceTheSameRoot_keepsOne()
    {
        var pki = new TestPki();
        var a = TrustStore.FromDerCertificates([pki.Root.GetEncoded()]);
        var b = TrustStore.FromDerCertificates([pki.Root.GetEncoded(), pki.Intermediate.GetEncoded()]);

        Assert.Equal(2, TrustStore.Combine(a, b).Count);
    }

    [Fact]
    public void SystemBundle_everyCertificateParsesAsAnAnchor()
    {
        if (!File.Exists(TrustStore.SystemBundlePath))
        {
            return; // No ca-certificates on this machine: nothing to check.
        }

        var store = TrustStore.LoadSystem();

        Assert.True(store.Count > 50);
        Assert.Equal(0, store.Skipped);
        Assert.All(store.Anchors, a => Assert.True(a.Facts.IsCa || a.Facts.IsSelfSigned));
    }
}
