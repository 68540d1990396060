using System.Text;
using Org.BouncyCastle.X509;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.TestKit;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>
/// Incomplete chain versus unknown CA: a server sends only its leaf, whose AIA caIssuers URL points at a small HTTP
/// server on loopback (an address block of this test's own). The fetched intermediate completes the path to a known
/// root (incomplete chain, trusted, the fetch recorded as evidence) or to an unknown one (still not trusted); a root,
/// an error or an oversized answer never completes anything.
/// </summary>
public sealed class AiaCompletionTests
{
    private static readonly string Address = (Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77") + ".3.1";

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (X509Certificate Root, X509Certificate Intermediate, X509Certificate Leaf) Pki(string url)
    {
        var root = Make("CN=AIA Test Root", Rsa(0), ca: true);
        var intermediate = Make("CN=AIA Test Intermediate", Rsa(1), (root, Rsa(0)), ca: true);
        var leaf = Make("CN=example.test", Rsa(2), (intermediate, Rsa(1)), sans: [DnsSan("example.test")], caIssuersUrl: url);
        return (root, intermediate, leaf);
    }

    private static async Task<CertificateReport> Complete(X509Certificate leaf, TrustStore anchors, AiaIssuerFetcher fetcher)
    {
        IReadOnlyList<byte[]> chain = [leaf.GetEncoded()];
        var before = new CertificateAssessor(anchors, new FixedClock()).Assess(chain, "example.test", XmppMode.C2S);
        Assert.True(before.Trust.Has(TrustProblem.UnknownIssuer));
        return await AiaCompletion.CompleteAsync(before, chain, anchors, Now, fetcher, CancellationToken.None);
    }

    [Fact]
    public async Task IssuerPublishedAtAia_completesThePath_incompleteChainNotUnknownCa_andKeepsTheEvidence()
    {
        await using var http = AiaHttpServer.Start(Address, "200 OK", null);
        var (root, intermediate, leaf) = Pki(http.Url);
        http.Body = intermediate.GetEncoded();
        using var fetcher = new AiaIssuerFetcher();

        var report = await Complete(leaf, TrustStore.FromDerCertificates([root.GetEncoded()]), fetcher);

        Assert.True(report.Trust.Trusted);
        Assert.False(report.Trust.Has(TrustProblem.UnknownIssuer));
        var issue = Assert.Single(report.Trust.Issues, i => i.Problem == TrustProblem.IncompleteChain);
        Assert.Equal($"the intermediate 'CN=AIA Test Intermediate' was not sent; fetched from its AIA caIssuers URL {http.Url}, the path was completed with it", issue.Message);
        var fetch = Assert.Single(report.AiaFetches!);
        Assert.Equal((http.Url, "fetched", "CN=AIA Test Intermediate"), (fetch.Url, fetch.Outcome, fetch.Subject));
        Assert.Equal(intermediate.GetEncoded(), fetch.Der);
        Assert.Equal(1, http.Requests);
    }

    [Fact]
    public async Task IssuerPublishedAsPem_isReadToo()
    {
        await using var http = AiaHttpServer.Start(Address, "200 OK", null);
        var (root, intermediate, leaf) = Pki(http.Url);
        http.Body = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(intermediate.GetEncoded(), Base64FormattingOptions.InsertLineBreaks)
            + "\n-----END CERTIFICATE-----\n");
        using var fetcher = new AiaIssuerFetcher();

        Assert.True((await Complete(leaf, TrustStore.FromDerCertificates([root.GetEncoded()]), fetcher)).Trust.Trusted);
    }

    [Fact]
    public async Task IntermediateOfAnUnknownRoot_staysUntrusted_unknownCa()
    {
        await using var http = AiaHttpServer.Start(Address, "200 OK", null);
        var (_, intermediate, leaf) = Pki(http.Url);
        http.Body = intermediate.GetEncoded();
        var otherRoot = Make("CN=Some Other Root", Rsa(3), ca: true);
        using var fetcher = new AiaIssuerFetcher();

        var report = await Complete(leaf, TrustStore.FromDerCertificates([otherRoot.GetEncoded()]), fetcher);

        Assert.False(report.Trust.Trusted);
        Assert.Contains(report.Trust.Issues, i => i.Problem == TrustProblem.UnknownIssuer && i.Message.Contains("CN=AIA Test Root", StringComparison.Ordinal));
        Assert.Equal("fetched", Assert.Single(report.AiaFetches!).Outcome);
    }

    [Fact]
    public async Task RootServedAtAia_isNeverMadeAnAnchor()
    {
        await using var http = AiaHttpServer.Start(Address, "200 OK", null);
        var (root, _, leaf) = Pki(http.Url);
        http.Body = root.GetEncoded();
        using var fetcher = new AiaIssuerFetcher();

        var report = await Complete(leaf, TrustStore.FromDerCertificates([Make("CN=Some Other Root", Rsa(3), ca: true).GetEncoded()]), fetcher);

        Assert.False(report.Trust.Trusted);
        Assert.Equal("self_signed", Assert.Single(report.AiaFetches!).Outcome);
    }

    [Theory]
    [InlineData("404 Not Found", 10, "http_error")]
    [InlineData("200 OK", AiaIssuerFetcher.DefaultMaxBytes + 1, "too_large")]
    [InlineData("200 OK", 100, "unparseable")]
    public async Task BadAnswers_leaveTheVerdict_andSayWhy(string status, int bytes, string outcome)
    {
        await using var http = AiaHttpServer.Start(Address, status, new byte[bytes]);
        var (root, _, leaf) = Pki(http.Url);
        using var fetcher = new AiaIssuerFetcher();

        var report = await Complete(leaf, TrustStore.FromDerCertificates([root.GetEncoded()]), fetcher);

        Assert.False(report.Trust.Trusted);
        Assert.True(report.Trust.Has(TrustProblem.UnknownIssuer));
        Assert.Equal(outcome, Assert.Single(report.AiaFetches!).Outcome);
    }
}
