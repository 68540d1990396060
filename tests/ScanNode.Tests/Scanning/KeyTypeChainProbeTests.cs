using System.Net;
using Org.BouncyCastle.Ocsp;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Tests.Certificates;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Scanning;

/// <summary>
/// Per-key-type chains and OCSP staples against a real <c>openssl s_server</c> on 127.0.0.1. OpenSslServer always
/// passes its own <c>-cert/-key</c> first; OpenSSL takes the last occurrence, so the files given here win.
/// </summary>
public class KeyTypeChainProbeTests
{
    private static readonly ScanLimits Limits = ScanLimits.Default with { ReadTimeout = TimeSpan.FromSeconds(5) };
    private const string Name = "xmpp.example.org";

    [Fact]
    public async Task DualCertificateServer_sendsTheEcdsaChainToEcdsaHello_andTheRsaChainToRsaHello()
    {
        using var pki = new PkiFiles(Name);
        await using var server = await OpenSslServer.StartAsync(
            "-cert", pki.RsaCert, "-key", pki.RsaKey, "-cert_chain", pki.ChainFile,
            "-dcert", pki.EcCert, "-dkey", pki.EcKey, "-dcert_chain", pki.ChainFile);
        var connections = new LoopbackConnectionFactory(server.Port);

        var results = await new KeyTypeChainProbe(Limits).RunAsync(connections, Name, CancellationToken.None);

        Assert.Equal(2, connections.Connections);
        var ecdsa = Assert.Single(results, r => r.KeyType == "ECDSA");
        var rsa = Assert.Single(results, r => r.KeyType == "RSA");
        Assert.Equal(KeyTypeOutcome.Served, ecdsa.Outcome);
        Assert.Equal(KeyTypeOutcome.Served, rsa.Outcome);
        Assert.Equal(pki.EcLeaf.GetEncoded(), ecdsa.Chain[0]);
        Assert.Equal(pki.Pki.Leaf.GetEncoded(), rsa.Chain[0]);
        Assert.Equal(pki.Pki.Intermediate.GetEncoded(), ecdsa.Chain[1]);
        Assert.Equal(pki.Pki.Intermediate.GetEncoded(), rsa.Chain[1]);
        Assert.Null(ecdsa.Staple);
    }

    [Fact]
    public async Task DualCertificateServer_inspector_reportsTheOtherChainWithItsOwnTrustAndIdentity()
    {
        using var pki = new PkiFiles(Name);
        await using var server = await OpenSslServer.StartAsync(
            "-cert", pki.RsaCert, "-key", pki.RsaKey, "-cert_chain", pki.ChainFile,
            "-dcert", pki.EcCert, "-dkey", pki.EcKey, "-dcert_chain", pki.ChainFile);
        var inspector = Inspector(pki, new LoopbackConnectionFactory(server.Port));

        // The session (as a TLS 1.3 client would see it) got the RSA chain.
        var report = await inspector.InspectAsync(Endpoint(server.Port), Session(pki.Pki.Leaf.GetEncoded(), pki.Pki.Intermediate.GetEncoded()),
            DnssecStatus.Unknown, CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(ChainSource.Session, report.Source);
        var ecdsa = report.KeyTypeChains!.Single(c => c.KeyType == "ECDSA");
        var rsa = report.KeyTypeChains!.Single(c => c.KeyType == "RSA");
        Assert.False(ecdsa.SameLeafAsSession);
        Assert.True(rsa.SameLeafAsSession);
        Assert.Null(rsa.Chain);
        Assert.Equal(KeyAlgorithm.Ec, ecdsa.Chain![0].KeyAlgorithm);
        Assert.True(ecdsa.Trust!.Trusted);
        Assert.Equal(IdentityMatchKind.DnsId, ecdsa.Identity!.MatchedBy);
        Assert.StartsWith("TLS_ECDHE_ECDSA_", ecdsa.CipherSuite!.Name, StringComparison.Ordinal);
        Assert.Equal(OcspStapleStatus.NotStapled, report.Ocsp!.Status);
    }

    [Fact]
    public async Task StaplingServer_staplesTheResponseWeGenerated_andItIsGoodForTheLeaf()
    {
        using var pki = new PkiFiles(Name);
        var now = DateTimeOffset.UtcNow;
        var staple = OcspResponses.Make(pki.Pki.Intermediate, pki.Pki.IntermediateKey, pki.Pki.Leaf, CertificateStatus.Good,
            now.AddHours(-1), now.AddDays(2));
        await using var server = await OpenSslServer.StartAsync(
            "-cert", pki.RsaCert, "-key", pki.RsaKey, "-cert_chain", pki.ChainFile, "-status_file", pki.WriteFile("ocsp.der", staple));
        var connections = new LoopbackConnectionFactory(server.Port);

        var results = await new KeyTypeChainProbe(Limits).RunAsync(connections, Name, CancellationToken.None);
        var rsa = results.Single(r => r.KeyType == "RSA");
        Assert.Equal(KeyTypeOutcome.NotServed, results.Single(r => r.KeyType == "ECDSA").Outcome);
        Assert.Equal(staple, rsa.Staple);

        var report = await Inspector(pki, new LoopbackConnectionFactory(server.Port)).InspectAsync(Endpoint(server.Port),
            Session(pki.Pki.Leaf.GetEncoded(), pki.Pki.Intermediate.GetEncoded()), DnssecStatus.Unknown, CancellationToken.None);
        var ocsp = report!.Ocsp!;
        Assert.Equal(OcspStapleStatus.Good, ocsp.Status);
        Assert.True(ocsp.ForLeaf);
        Assert.True(ocsp.SignatureValid);
        Assert.Equal(staple, ocsp.Der);
    }

    [Fact]
    public async Task StaplingServer_withARevokedResponse_isRevoked()
    {
        using var pki = new PkiFiles(Name);
        var now = DateTimeOffset.UtcNow;
        var staple = OcspResponses.Make(pki.Pki.Intermediate, pki.Pki.IntermediateKey, pki.Pki.Leaf,
            new RevokedStatus(now.AddDays(-1).UtcDateTime, Org.BouncyCastle.Asn1.X509.CrlReason.KeyCompromise), now.AddHours(-1), now.AddDays(2));
        await using var server = await OpenSslServer.StartAsync(
            "-cert", pki.RsaCert, "-key", pki.RsaKey, "-cert_chain", pki.ChainFile, "-status_file", pki.WriteFile("ocsp.der", staple));

        var report = await Inspector(pki, new LoopbackConnectionFactory(server.Port)).InspectAsync(Endpoint(server.Port),
            Session(pki.Pki.Leaf.GetEncoded(), pki.Pki.Intermediate.GetEncoded()), DnssecStatus.Unknown, CancellationToken.None);

        Assert.Equal(OcspStapleStatus.Revoked, report!.Ocsp!.Status);
        Assert.Equal("keyCompromise", report.Ocsp.RevocationReason);
    }

    [Fact]
    public async Task Tls13OnlyServer_oneExtraConnection_rsaSkipped_ocspNotChecked()
    {
        using var pki = new PkiFiles(Name);
        await using var server = await OpenSslServer.StartAsync("-cert", pki.RsaCert, "-key", pki.RsaKey, "-tls1_3");
        var connections = new LoopbackConnectionFactory(server.Port);

        var report = await Inspector(pki, connections).InspectAsync(Endpoint(server.Port), Session(pki.Pki.Leaf.GetEncoded()),
            DnssecStatus.Unknown, CancellationToken.None);

        Assert.Equal(1, connections.Connections);
        Assert.Equal(KeyTypeOutcome.NoTls12, report!.KeyTypeChains!.Single(c => c.KeyType == "ECDSA").Outcome);
        Assert.Equal(KeyTypeOutcome.Skipped, report.KeyTypeChains!.Single(c => c.KeyType == "RSA").Outcome);
        Assert.Equal(OcspStapleStatus.NotChecked, report.Ocsp!.Status);
    }

    [Fact]
    public async Task SessionWithoutChain_usesThePlaintextTls12Chain()
    {
        using var pki = new PkiFiles(Name);
        await using var server = await OpenSslServer.StartAsync("-cert", pki.RsaCert, "-key", pki.RsaKey, "-cert_chain", pki.ChainFile, "-tls1_2");
        var failed = new TlsSessionResult(XmppStreamFacts.Empty, null, null, null, [],
            new ProbeFailure(FailureKind.TlsHandshakeFailed, "the OS refused the server's parameters"), TimeSpan.Zero);

        var report = await Inspector(pki, new LoopbackConnectionFactory(server.Port)).InspectAsync(Endpoint(server.Port), failed,
            DnssecStatus.Unknown, CancellationToken.None);

        Assert.Equal(ChainSource.Tls12Handshake, report!.Source);
        Assert.Equal(pki.Pki.Leaf.SerialNumber.ToString(16), report.Chain[0].SerialNumber);
        Assert.Equal(2, report.Chain.Count);
    }

    [Fact]
    public async Task SessionThatNeverReachedTls_noExtraConnection_noReport()
    {
        using var pki = new PkiFiles(Name);
        var connections = new LoopbackConnectionFactory(1);
        var noTls = new TlsSessionResult(XmppStreamFacts.Empty, null, null, null, [],
            new ProbeFailure(FailureKind.StartTlsNotOffered, "no <starttls/>"), TimeSpan.Zero);

        var report = await Inspector(pki, connections).InspectAsync(Endpoint(1), noTls, DnssecStatus.Unknown, CancellationToken.None);

        Assert.Null(report);
        Assert.Equal(0, connections.Connections);
    }

    private static CertificateInspector Inspector(PkiFiles pki, ITlsConnectionFactory connections)
    {
        var store = pki.Pki.RootStore;
        return new CertificateInspector(new CertificateAssessor(store), store, new KeyTypeChainProbe(Limits), _ => connections);
    }

    private static XmppEndpoint Endpoint(int port) =>
        new(Name, XmppMode.C2S, TlsTransport.DirectTls, "127.0.0.1", IPAddress.Loopback, port, 0, 0, EndpointSource.Explicit);

    private static TlsSessionResult Session(params byte[][] chain) =>
        new(XmppStreamFacts.Empty, System.Security.Authentication.SslProtocols.Tls13, null, null, chain, null, TimeSpan.Zero);
}
