using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>Builds <see cref="GradingInput"/>s for rule scenarios without I/O: a modern baseline (TLS 1.2 + 1.3,
/// ECDHE AEAD suites, RSA 2048 leaf, trusted, matching name) and one change per test.</summary>
internal static class Scenario
{
    public static readonly string[] ModernTls12 =
        ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"];

    public static readonly string[] ModernTls13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];

    public static GradingInput Modern() => new()
    {
        Domain = "example.test",
        Endpoint = "xmpp.example.test 127.0.0.1:5222 starttls",
        Suites = new Dictionary<TlsVersion, IReadOnlyList<CipherSuiteInfo>>
        {
            [TlsVersion.Tls12] = Suites(ModernTls12),
            [TlsVersion.Tls13] = Suites(ModernTls13),
        },
        EcGroups = [Group(NamedGroups.X25519), Group(NamedGroups.Secp256r1)],
        Chain = [Cert("example.test"), Cert("Intermediate CA", isCa: true)],
        Trust = new TrustVerdict(true, [], ["a", "b", "c"], "CN=Root"),
        Identity = new IdentityMatch(true, IdentityMatchKind.DnsId, "example.test", "example.test", [new SubjectAltName(SubjectAltNameType.DnsName, "example.test")], false),
    };

    /// <summary>Adds (or replaces) the suites of one version.</summary>
    public static GradingInput With(this GradingInput input, TlsVersion version, params string[] names)
    {
        var suites = input.Suites.ToDictionary(kv => kv.Key, kv => kv.Value);
        suites[version] = Suites(names);
        return input with { Suites = suites };
    }

    public static GradingInput Only(this GradingInput input, params (TlsVersion Version, string[] Names)[] versions) =>
        input with { Suites = versions.ToDictionary(v => v.Version, v => Suites(v.Names)) };

    public static GradingInput WithLeaf(this GradingInput input, KeyAlgorithm algorithm, int bits, string hash = "sha256") =>
        input with { Chain = [Cert("example.test", algorithm: algorithm, bits: bits, hash: hash), .. input.Chain.Skip(1)] };

    public static IReadOnlyList<CipherSuiteInfo> Suites(params string[] names) =>
        [.. names.Select(n => CipherSuiteRegistry.TryGetByName(n, out var s) ? s : throw new ArgumentException(n))];

    public static NamedGroup Group(ushort code) => NamedGroups.TryGet(code, out var g) ? g : throw new ArgumentException(code.ToString());

    public static CertificateFacts Cert(string cn, bool isCa = false, KeyAlgorithm algorithm = KeyAlgorithm.Rsa, int bits = 2048,
        string hash = "sha256", bool selfSigned = false) =>
        new(Sha256: cn, SpkiSha256: cn, Subject: "CN=" + cn, Issuer: "CN=Issuer", CommonName: cn, SerialNumber: "01",
            NotBefore: DateTimeOffset.UnixEpoch, NotAfter: DateTimeOffset.MaxValue, KeyAlgorithm: algorithm, KeyBits: bits, Curve: null,
            RsaExponent: "65537", SignatureAlgorithm: hash + "WithRSAEncryption", SignatureHash: hash, IsCa: isCa, PathLength: null,
            KeyUsage: [], ExtendedKeyUsage: [], SubjectAltNames: [new SubjectAltName(SubjectAltNameType.DnsName, cn)],
            OcspUrls: [], CaIssuerUrls: [], CrlUrls: [], IsSelfSigned: selfSigned);
}
