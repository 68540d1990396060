using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Output;

public class ScanTextRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static CertificateFacts Leaf(string subject, DateTimeOffset notAfter) => new(
        "aa", "bb", subject, "CN=Test CA", "evil", "01", notAfter.AddYears(-1), notAfter, KeyAlgorithm.Rsa, 2048, null,
        "65537", "sha256WithRSAEncryption", "sha256", false, null, [], [], [new SubjectAltName(SubjectAltNameType.DnsName, "other.test")],
        [], [], [], false);

    private static DomainReport Report(EndpointReport endpoint) =>
        new("bad.test", XmppMode.C2S, endpoint.Status, endpoint.Failure, null, [endpoint]);

    private static EndpointReport Endpoint(CertificateReport? certificate, ProbeFailure? failure = null, XmppStreamFacts? xmpp = null) =>
        new("xmpp.bad.test", "::1", 5222, TlsTransport.StartTls, 0, 0, EndpointSource.Srv,
            failure is null ? ProbeStatus.Completed : ProbeStatus.Failed, failure, xmpp,
            certificate is null ? null : new TlsSessionReport("TLSv1.2", new CipherSuiteName(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), null),
            certificate, 3);

    [Fact]
    public void ExpiredWrongNameCertificate_saysNotTrustedAndMismatchInWords()
    {
        var certificate = new CertificateReport(
            [Leaf("CN=evil", Now.AddDays(-30))],
            new TrustVerdict(false, [new TrustIssue(TrustProblem.Expired, "certificate #0 expired on 2026-10-22", 0)], [], null),
            new IdentityMatch(false, IdentityMatchKind.None, null, "bad.test", [new SubjectAltName(SubjectAltNameType.DnsName, "other.test")], false),
            []);
        var lines = new ScanTextRenderer(TextWriter.Null, new FixedClock()).Lines(Report(Endpoint(certificate))).ToList();

        Assert.Contains(lines, l => l.Contains("[::1]:5222 starttls", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("TLSv1.2  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("EXPIRED 30 days ago", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("NOT TRUSTED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("expired on 2026-10-22", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("MISMATCH: bad.test is not among DnsName:other.test", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FailureKind.ConnectionClosed, "connection closed: the server closed the connection")]
    [InlineData(FailureKind.TlsHandshakeFailed, "TLS handshake failed: the server closed the connection")]
    [InlineData(FailureKind.StartTlsNotOffered, "STARTTLS not offered: the server closed the connection")]
    [InlineData(FailureKind.Internal, "scanner error: the server closed the connection")]
    public void FailureKinds_readAsWords_notEnumNames(FailureKind kind, string expected)
    {
        var lines = new ScanTextRenderer(TextWriter.Null, new FixedClock())
            .Lines(Report(Endpoint(null, new ProbeFailure(kind, "the server closed the connection")))).ToList();

        // The report wraps long lines: read it as one text.
        var text = string.Join(" ", lines.Select(l => l.Trim()));
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.DoesNotContain(kind.ToString(), text, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerTextWithTerminalEscapes_isRenderedInert()
    {
        var certificate = new CertificateReport(
            [Leaf("CN=\u001b[31mred\u001b[0m", Now.AddDays(90))],
            new TrustVerdict(true, [], [], "CN=Root"), null, []);
        var xmpp = new XmppStreamFacts(StreamId: null, From: null, Version: null, PreTlsFeatures: null, PostTlsFeatures: null, StreamError: new StreamErrorInfo("policy-violation", "go away\u001b]0;pwned\u0007"), StreamRestartAfterTlsWorked: null, PeerCertificateRequired: null);
        var lines = new ScanTextRenderer(TextWriter.Null, new FixedClock())
            .Lines(Report(Endpoint(certificate, new ProbeFailure(FailureKind.StreamError, "policy-violation"), xmpp))).ToList();

        Assert.All(lines, l => Assert.DoesNotContain('\u001b', l));
        Assert.All(lines, l => Assert.DoesNotContain('\u0007', l));
        Assert.Contains(lines, l => l.Contains("stream error <policy-violation/>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("✗ XMPP stream error: policy-violation", StringComparison.Ordinal));
    }

    [Fact]
    public void StartTlsOptional_isCalledOutWithPlainBeforeTls()
    {
        var xmpp = new XmppStreamFacts(StreamId: "1", From: "opt.test", Version: "1.0",
            PreTlsFeatures: new XmppFeatures(StartTlsSupport.Offered, ["PLAIN", "SCRAM-SHA-1"], [], false, false, []), PostTlsFeatures: null, StreamError: null, StreamRestartAfterTlsWorked: null, PeerCertificateRequired: null);
        var lines = new ScanTextRenderer(TextWriter.Null, new FixedClock()).Lines(Report(Endpoint(null, null, xmpp))).ToList();
        Assert.Contains(lines, l => l.Contains("STARTTLS offered but NOT required", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("before TLS: PLAIN SCRAM-SHA-1", StringComparison.Ordinal));
    }
}
