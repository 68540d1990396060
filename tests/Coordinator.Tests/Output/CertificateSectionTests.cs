using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Output;

/// <summary>The certificate section: chain walk, trust reasons, identity, key types, DANE and OCSP lines, in 80 columns and safe.</summary>
public class CertificateSectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private const string LeafSha = "7ed74732aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2acedd28";
    private const string CaSha = "521849afbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbba6ca4ea7";
    private const string RootSha = "58826744ccccccccccccccccccccccccccccccccccccccccccccccccb3b65c80";

    private static CertificateFacts Cert(string sha, string subject, string issuer, KeyAlgorithm key = KeyAlgorithm.Rsa, int bits = 2048,
        string? curve = null) => new(
        sha, "00", subject, issuer, null, "01", Now.AddDays(-10), Now.AddDays(90), key, bits, curve, null,
        "sha256WithRSAEncryption", "sha256", false, null, [], [], [new SubjectAltName(SubjectAltNameType.DnsName, "example.org")], [], [], [], false);

    private static CertificateReport Report(ChainWalkEntry[] walk, DaneFacts? dane = null, OcspStapleFacts? ocsp = null,
        IReadOnlyList<KeyTypeChainReport>? keyTypes = null) => new(
        [Cert(LeafSha, "CN=example.org", "CN=Example CA"), Cert(CaSha, "CN=Example CA", "CN=Example Root")],
        new TrustVerdict(true, [], [LeafSha, CaSha, RootSha], "CN=Example Root"),
        new IdentityMatch(true, IdentityMatchKind.SrvId, "_xmpp-client.example.org", "example.org", [], false),
        [], ChainSource.Session, walk, keyTypes, dane, ocsp);

    private static readonly ChainWalkEntry[] NormalWalk =
    [
        new(0, 0, ChainCertificateOrigin.Sent, LeafSha, null),
        new(1, 1, ChainCertificateOrigin.Sent, CaSha, null),
        new(null, 2, ChainCertificateOrigin.InTrustStore, RootSha, Cert(RootSha, "CN=Example Root", "CN=Example Root")),
    ];

    [Fact]
    public void ChainWalk_numbersSentCertificates_andMarksTheStoreRoot()
    {
        var lines = CertificateSection.Lines(Report(NormalWalk), Now).ToList();

        Assert.Equal("Chain     2 certificates as sent in the session", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  #0      CN=example.org  [sent]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  #1      CN=Example CA  [sent]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CN=Example Root  [in trust store (not sent)]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("RSA 2048 bits, sha256WithRSAEncryption, SHA-256 7ed74732…2acedd28", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("valid 2026-11-11 to 2027-02-19 (expires in 90 days)", StringComparison.Ordinal));
        Assert.Contains("Trust     trusted (anchor: CN=Example Root)", lines);
        Assert.Contains("Name      matches SRV-ID _xmpp-client.example.org", lines);
    }

    [Fact]
    public void MissingIntermediate_isMarkedMissing()
    {
        ChainWalkEntry[] walk =
        [
            new(0, 0, ChainCertificateOrigin.Sent, LeafSha, null),
            new(null, 1, ChainCertificateOrigin.Missing, CaSha, Cert(CaSha, "CN=Example CA", "CN=Example Root")),
        ];
        var lines = CertificateSection.Lines(Report(walk), Now).ToList();
        Assert.Contains(lines, l => l.Contains("CN=Example CA  [MISSING (not sent; known to the store)]", StringComparison.Ordinal));
    }

    [Fact]
    public void DaneNotSecure_saysWhyAndWhatWouldHaveMatched_within80Columns()
    {
        var data = new string('7', 64);
        var dane = new DaneFacts(TlsaName: "_5222._tcp.xmpp.example.org", Lookup: "ok", SrvDnssec: DnssecStatus.Insecure, TlsaDnssec: DnssecStatus.Insecure, DnssecSource: "resolver AD bit",
            Records: [new TlsaRecord("_5222._tcp.xmpp.example.org", 3, 1, 1, new byte[32], 300)],
            Verdict: new DaneVerdict(DaneResult.NotSecure, [$"3 1 1 {data}"],
                $"TLSA answer is Insecure, not DNSSEC-secure, so it must not be used (RFC 6698 §4.1); the data would have matched 3 1 1 {data}"),
            SrvTargetIdentityAllowed: false, Error: null);
        var lines = CertificateSection.Lines(Report(NormalWalk, dane), Now).ToList();

        Assert.Contains("DANE      _5222._tcp.xmpp.example.org: 1 TLSA record", lines);
        Assert.Contains("          DNSSEC SRV insecure, TLSA insecure (resolver AD bit)", lines);
        Assert.Contains(lines, l => l.StartsWith("          not secure, not usable: TLSA answer is Insecure", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("would have matched", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.StartsWith("          ", StringComparison.Ordinal) && !l.Contains('7', StringComparison.Ordinal)),
            l => Assert.True(l.Length <= 76, l));
    }

    [Theory]
    [InlineData(OcspStapleStatus.NotStapled, "OCSP      no staple (status_request offered in TLS 1.2)")]
    [InlineData(OcspStapleStatus.Revoked, "OCSP      stapled: REVOKED: revoked at 2026-11-20 12:00:00Z (keyCompromise)")]
    [InlineData(OcspStapleStatus.Expired, "OCSP      stapled: EXPIRED: revoked at 2026-11-20 12:00:00Z (keyCompromise)")]
    public void OcspLine_saysStatusInWords(OcspStapleStatus status, string expected)
    {
        var ocsp = new OcspStapleFacts(status, "revoked at 2026-11-20 12:00:00Z (keyCompromise)");
        Assert.Contains(expected, CertificateSection.Lines(Report(NormalWalk, ocsp: ocsp), Now));
    }

    [Fact]
    public void SecondKeyType_withAnotherLeaf_isShownWithItsOwnKeyAndTrust()
    {
        var ecLeaf = Cert("eeee", "CN=example.org", "CN=Example CA", KeyAlgorithm.Ec, 256, "P-256");
        KeyTypeChainReport[] keyTypes =
        [
            new("ECDSA", KeyTypeOutcome.Served, "TLSv1.2", new CipherSuiteName(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                ["eeee0000eeee0000eeee", CaSha], false, [ecLeaf], new TrustVerdict(true, [], [], "CN=Example Root"),
                new IdentityMatch(true, IdentityMatchKind.DnsId, "example.org", "example.org", [], false),
                new OcspStapleFacts(OcspStapleStatus.NotStapled, "no staple"), null),
            new("RSA", KeyTypeOutcome.Served, "TLSv1.2", new CipherSuiteName(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                [LeafSha, CaSha], true, null, null, null, null, null),
        ];
        var lines = CertificateSection.Lines(Report(NormalWalk, keyTypes: keyTypes), Now).ToList();

        Assert.Contains(lines, l => l.StartsWith("Keys      ECDSA ANOTHER chain: EC P-256 256 bits, CN=example.org", StringComparison.Ordinal));
        Assert.Contains("          trusted", lines);
        Assert.Contains("          matches DNS-ID example.org", lines);
        Assert.Contains("Keys      RSA   same leaf as above (TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)", lines);
    }

    [Fact]
    public void HostileSubject_isEscaped()
    {
        var report = Report(NormalWalk) with { Chain = [Cert(LeafSha, "CN=\u001b[2Jevil", "CN=x"), Cert(CaSha, "CN=Example CA", "CN=Example Root")] };
        var lines = CertificateSection.Lines(report, Now).ToList();
        Assert.DoesNotContain(lines, l => l.Contains('\u001b', StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CN=\\u001b[2Jevil", StringComparison.Ordinal));
    }
}
