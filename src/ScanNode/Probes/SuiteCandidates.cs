using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// What an assessment offers at each version, and in which order: the suites servers actually deploy first,
/// so that every accepted suite usually sits in the first bundle (one refusal then covers the rest of it) and
/// the removal sequence is the server's whole order. Curves and groups likewise.
/// </summary>
public static class SuiteCandidates
{
    /// <summary>Suites defined for <paramref name="version"/>, most deployed first.</summary>
    /// <param name="version">SSLv3 … TLS 1.3.</param>
    /// <param name="includeCredentialSuites">Also PSK, SRP, Kerberos and ECCPWD suites (see AssessmentOptions).</param>
    public static IReadOnlyList<ushort> For(TlsVersion version, bool includeCredentialSuites) =>
        [.. CipherSuiteRegistry.DefinedFor(version)
            .Where(s => includeCredentialSuites || !NeedsClientCredentials(s))
            .OrderBy(Tier)
            .ThenBy(CipherRank)
            .ThenBy(s => s.IsExport)
            .ThenBy(s => s.Code)
            .Select(s => s.Code)];

    /// <summary>PSK (RFC 4279, 5487, 5489), SRP (RFC 5054), Kerberos (RFC 2712), ECCPWD (RFC 8492): the server
    /// cannot finish them with a client that has no identity, user, ticket or password.</summary>
    public static bool NeedsClientCredentials(CipherSuiteInfo s) => s.KeyExchange is KeyExchange.Psk or KeyExchange.DhePsk
        or KeyExchange.RsaPsk or KeyExchange.EcdhePsk or KeyExchange.Srp or KeyExchange.Krb5 or KeyExchange.EcCcPwd;

    /// <summary>ECDHE curves for TLS ≤ 1.2 (RFC 8422 §5.1.1, RFC 7027, RFC 8734 excluded: TLS 1.3 only), common first.</summary>
    public static IReadOnlyList<ushort> EcdheCurves { get; } =
    [
        NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.Secp384r1, NamedGroups.Secp521r1, NamedGroups.X448,
        26, 27, 28, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
        34, 35, 36, 37, 38, 39, 40, 41,
    ];

    /// <summary>Groups a TLS 1.3 server may select (RFC 8446 §4.2.7 and later registrations), common first.</summary>
    public static IReadOnlyList<ushort> Tls13Groups { get; } =
    [
        NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.Secp384r1, NamedGroups.Secp521r1, NamedGroups.X448,
        NamedGroups.X25519MlKem768, 0x11EB, 0x11ED, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
        31, 32, 33, 0x0200, 0x0201, 0x0202, 0x6399, 0x639A, 34, 35, 36, 37, 38, 39, 40, 41,
    ];

    private static int Tier(CipherSuiteInfo s) => s switch
    {
        { Kind: SuiteKind.Tls13 } => s.Cipher is BulkCipher.AesGcm or BulkCipher.ChaCha20Poly1305 or BulkCipher.AesCcm ? 0 : 1,
        { IsAnonymous: true } => 2,
        { KeyExchange: KeyExchange.Ecdhe or KeyExchange.Dhe or KeyExchange.Rsa } => 0,
        { KeyExchange: KeyExchange.Ecdh or KeyExchange.Dh } => 1,
        _ => NeedsClientCredentials(s) ? 4 : 3,
    };

    // What TLS libraries implement (OpenSSL, GnuTLS, NSS, SChannel, Java) comes first: a server's accepted
    // suites then share the first window, and its order needs no merging across windows.
    /// <summary>How widely the suite's cipher is implemented: 0 (AES-GCM, ChaCha20) … 5 (NULL, rare).</summary>
    public static int CipherRank(CipherSuiteInfo s) => s.Cipher switch
    {
        BulkCipher.AesGcm or BulkCipher.ChaCha20Poly1305 => 0,
        BulkCipher.AesCbc => 1,
        BulkCipher.TripleDesEdeCbc or BulkCipher.Rc4 or BulkCipher.CamelliaCbc or BulkCipher.AesCcm or BulkCipher.AesCcm8
            or BulkCipher.AriaGcm => 2,
        BulkCipher.SeedCbc or BulkCipher.DesCbc or BulkCipher.IdeaCbc or BulkCipher.Rc2Cbc or BulkCipher.CamelliaGcm => 3,
        BulkCipher.AriaCbc => 4,
        _ => 5,
    };
}
