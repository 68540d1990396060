using XmppScanCluster.Coordinator.Grading.Rules;
using XmppScanCluster.Coordinator.Grading.Rules.Transport;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>The policy registry by name. A changed policy gets a new name or version, never an in-place edit.</summary>
public static class Policies
{
    public const string XmppScan = "xmppscan-2026";
    public const string SslLabs = "ssllabs-2009r";
    public const string Xmppoke = "xmppoke-2015";

    /// <summary>The policy shown first everywhere (scan report, badge, site, census statistics, dashboard).</summary>
    public const string Default = XmppScan;

    /// <summary>SSL Labs "SSL Server Rating Guide" (github.com/ssllabs/research/wiki/SSL-Server-Rating-Guide, versions
    /// 2009 … 2009q/2020): Table 1 letters, Table 2 protocol support, Table 3 key exchange, Table 4 cipher strength.</summary>
    public static GradingThresholds SslLabsThresholds { get; } = new()
    {
        // Guide Table 2 (protocol support): SSL 2.0 0 %, SSL 3.0 80 %, TLS 1.0 90 %, TLS 1.1 95 %, TLS 1.2 100 %.
        // TLS 1.3 postdates the table; SSL Labs scores it as TLS 1.2.
        ProtocolScores = new Dictionary<TlsVersion, int>
        {
            [TlsVersion.Ssl2] = 0, [TlsVersion.Ssl3] = 80, [TlsVersion.Tls10] = 90,
            [TlsVersion.Tls11] = 95, [TlsVersion.Tls12] = 100, [TlsVersion.Tls13] = 100,
        },
        // Guide Table 3 (key exchange): < 512 bits 20 %, exportable 40 %, < 1024 40 %, < 2048 80 %, < 4096 90 %, ≥ 4096 100 %;
        // anonymous 0 %.
        KeyBands = [new(512, 20), new(1024, 40), new(2048, 80), new(4096, 90)],
        KeyTopScore = 100,
        DhBands = [new(512, 20), new(1024, 40), new(2048, 80), new(4096, 90)],
        DhTopScore = 100,
        // EC strength as RSA-equivalent bits (NIST SP 800-57 Part 1 Rev. 5, Table 2), as the guide compares "key strength".
        EcRsaEquivalent = [new(160, 512), new(224, 1024), new(250, 2048), new(384, 3072), new(512, 7680), new(int.MaxValue, 15360)],
        ExportKeyScore = 40,
        AnonymousKeyScore = 0,
        // Guide Table 4 (cipher strength): 0 bits 0 %, < 128 20 %, < 256 80 %, ≥ 256 100 %.
        CipherBands = [new(1, 0), new(128, 20), new(256, 80)],
        CipherTopScore = 100,
        // Guide: protocol 30 %, key exchange 30 %, cipher strength 40 %; Table 1: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, F.
        Letters = [new(80, "A"), new(65, "B"), new(50, "C"), new(35, "D"), new(20, "E"), new(0, "F")],
        ZeroCategoryZeroesTotal = true,
    };

    /// <summary>The IM Observatory's xmppoke (github.com/xmpp-observatory/xmppoke, poke.lua, 2014–2015): the same three
    /// categories with its own tables and caps, so results compare with xmpp.net's published history.</summary>
    public static GradingThresholds XmppokeThresholds { get; } = SslLabsThresholds with
    {
        // poke.lua: SSLv2 20, SSLv3 80, TLSv1 90, TLSv1.1 95, TLSv1.2 100 (mean of lowest and highest). TLS 1.3 did not exist: as 1.2.
        ProtocolScores = new Dictionary<TlsVersion, int>
        {
            [TlsVersion.Ssl2] = 20, [TlsVersion.Ssl3] = 80, [TlsVersion.Tls10] = 90,
            [TlsVersion.Tls11] = 95, [TlsVersion.Tls12] = 100, [TlsVersion.Tls13] = 100,
        },
        // poke.lua keysize_score: RSA/DSA 0 → 0, < 512 20, < 1024 40, < 2048 80, < 4096 90, else 100; EC leaf 100.
        KeyBands = [new(1, 0), new(512, 20), new(1024, 40), new(2048, 80), new(4096, 90)],
        // poke.lua DH override: < 512 20, < 1024 40, < 2014 80 (sic: 2014, not 2048), < 4096 90. Kept as published.
        DhBands = [new(512, 20), new(1024, 40), new(2014, 80), new(4096, 90)],
        EcRsaEquivalent = null,
        EcKeyScore = 100,
        // poke.lua: export → key score ≤ 40; authentication "None" → 0; no "zero category zeroes the total" rule.
        ZeroCategoryZeroesTotal = false,
        Md5LeafOnly = true,
        // poke.lua compares the protocol with "tslv1_1" (typo), so RC4 only counted at TLS 1.2.
        Rc4ModernFrom = TlsVersion.Tls12,
    };

    /// <summary>ssllabs-2009r v1: the 2009 score tables, then the caps of the later guide versions.</summary>
    public static IGradingPolicy SslLabs2009r { get; } = new RuleBasedPolicy(SslLabs, 1, SslLabsThresholds,
    [
        new ProtocolScoreRule(), new KeyExchangeScoreRule(), new CipherStrengthScoreRule(),
        new Ssl2Rule(), new Ssl3BestRule(), new ExportSuitesRule(), new NullOrAnonymousRule(), new WeakSuiteBitsRule(),
        new Rc4OnlyRule(), new RsaKeyTooSmallRule(), new Md5SignatureRule(), new HeartbleedRule(), new CcsInjectionRule(),
        new InsecureRenegotiationRule(),
        new CompressionRule(), new PoodleRule(), new Rc4ModernTlsRule(), new Block64ModernTlsRule(), new NoTls12Rule(),
        new Ssl3SupportedRule(), new Rc4Rule(), new RsaKeyWeakRule(), new DhParamsWeakRule(), new IncompleteChainRule(),
        new NoForwardSecrecyRule(), new NoAeadRule(), new OldTlsRule(),
        new NoSecureRenegotiationRule(), new NoFallbackScsvRule(), new Sha1ChainRule(), new NoTls13Rule(),
        new UntrustedRule(), new NameMismatchRule(),
    ], ["no A+: the HSTS bonus has no XMPP equivalent; XMPP security is rated beside the letter"]);

    /// <summary>xmppoke-2015 v1: poke.lua's scores and caps (F: SSLv2, RSA &lt; 1024, MD5 leaf, SSLv3 best; B: RSA &lt; 2048,
    /// SSLv3, DH &lt; 2048; C: compression, RC4 at TLS 1.2, no TLS 1.2), plus the T/M overlay (xmppoke stored trust and
    /// identity beside its grade, which equals our grade ignoring trust).</summary>
    public static IGradingPolicy Xmppoke2015 { get; } = new RuleBasedPolicy(Xmppoke, 1, XmppokeThresholds,
    [
        new ProtocolScoreRule(), new KeyExchangeScoreRule(), new CipherStrengthScoreRule(),
        new Ssl2Rule(), new RsaKeyTooSmallRule(), new Md5SignatureRule(), new Ssl3BestRule(),
        new RsaKeyWeakRule(), new Ssl3SupportedRule(), new DhParamsWeakRule(),
        new CompressionRule(), new Rc4ModernTlsRule(), new NoTls12Rule(),
        new UntrustedRule(), new NameMismatchRule(),
    ], ["xmppoke's grade is the grade ignoring trust; it had no zero-category rule and no NULL/anonymous cap"]);

    /// <summary>xmppscan-2026: SSL Labs' tables and caps as SSL Labs applies them today (a SHA-1 signature in the chain
    /// is a trust failure, T; missing TLS_FALLBACK_SCSV only withheld A+, which no policy here awards), plus the XMPP
    /// transport caps. Reasoning and sources: the Grading README, section xmppscan-2026.</summary>
    public static GradingThresholds XmppScanThresholds { get; } = SslLabsThresholds with
    {
        // Measured on Debian 12 (2026-12): OpenSSL 3.0.19 at security level 1 (its TLS default) "CA signature digest
        // algorithm too weak"; GnuTLS 3.7.9 certtool "the certificate chain uses insecure algorithm". Browsers: Chrome 56
        // and Firefox 52 (2017) stopped trusting SHA-1 certificates.
        Sha1Cap = Letters.Untrusted,
        Sha1RejectedBy = ["OpenSSL 3 (security level 1+)", "GnuTLS 3.x", "browsers since 2017"],
        Transport = new XmppTransportCaps(
            StartTlsMissing: "F",
            StartTlsOptional: "C",
            CleartextAuthBeforeTls: "D",
            S2sAuthBeforeTls: "D",
            // RFC 4616 (PLAIN), the LOGIN draft, and bearer tokens (RFC 7628 OAUTHBEARER, Google's X-OAUTH2): the secret itself.
            CleartextMechanisms: ["PLAIN", "LOGIN", "OAUTHBEARER", "X-OAUTH2", "X-FACEBOOK-PLATFORM"]),
    };

    /// <summary>xmppscan-2026 v1, the default: the XMPP transport rules first, then ssllabs-2009r's rules with the
    /// fixes of <see cref="XmppScanThresholds"/>.</summary>
    public static IGradingPolicy XmppScan2026 { get; } = new RuleBasedPolicy(XmppScan, 1, XmppScanThresholds,
    [
        new StartTlsMissingRule(), new StartTlsOptionalRule(), new CleartextAuthBeforeTlsRule(), new S2sAuthBeforeTlsRule(),
        new ProtocolScoreRule(), new KeyExchangeScoreRule(), new CipherStrengthScoreRule(),
        new Ssl2Rule(), new Ssl3BestRule(), new ExportSuitesRule(), new NullOrAnonymousRule(), new WeakSuiteBitsRule(),
        new Rc4OnlyRule(), new RsaKeyTooSmallRule(), new Md5SignatureRule(), new HeartbleedRule(), new CcsInjectionRule(),
        new InsecureRenegotiationRule(),
        new CompressionRule(), new PoodleRule(), new Rc4ModernTlsRule(), new Block64ModernTlsRule(), new NoTls12Rule(),
        new Ssl3SupportedRule(), new Rc4Rule(), new RsaKeyWeakRule(), new DhParamsWeakRule(), new IncompleteChainRule(),
        new NoForwardSecrecyRule(), new NoAeadRule(), new OldTlsRule(),
        new NoSecureRenegotiationRule(), new Sha1ChainRule(), new NoTls13Rule(),
        new UntrustedRule(), new NameMismatchRule(),
    ], ["no A+: the HSTS bonus has no XMPP equivalent", "XMPP transport (STARTTLS, authentication before TLS) is graded, not only rated"]);

    /// <summary>Every policy, the default first.</summary>
    public static IReadOnlyList<IGradingPolicy> All { get; } = [XmppScan2026, SslLabs2009r, Xmppoke2015];

    public static bool TryGet(string name, out IGradingPolicy policy)
    {
        policy = All.FirstOrDefault(p => p.Name == name)!;
        return policy is not null;
    }
}
