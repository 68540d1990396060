namespace XmppScanCluster.Shared.Tls;

/// <summary>
/// Facts about one SSLv3/TLS cipher suite code point. Pure data: derived flags are computed from the columns
/// so that they cannot disagree with them. Grading decides what the facts mean, not this type.
/// </summary>
/// <param name="Code">The two-byte wire value (RFC 5246 §A.5, RFC 8446 §B.4).</param>
/// <param name="IanaName">The IANA description, e.g. <c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c>.</param>
/// <param name="OpenSslName">OpenSSL's name (e.g. <c>ECDHE-RSA-AES128-GCM-SHA256</c>), or null if none is known.</param>
/// <param name="Kind">Standard suite, TLS 1.3 suite, or signalling value.</param>
/// <param name="KeyExchange">Key exchange.</param>
/// <param name="Authentication">Server authentication.</param>
/// <param name="Cipher">Bulk cipher.</param>
/// <param name="KeyBits">Effective symmetric strength in bits: export 40, DES 56, 3DES 112, NULL 0.</param>
/// <param name="Mode">Cipher mode family.</param>
/// <param name="Mac">Record MAC, or <see cref="MacAlgorithm.Aead"/>.</param>
/// <param name="MinVersion">Lowest protocol version the suite is defined for.</param>
/// <param name="MaxVersion">Highest protocol version the suite is defined for (export suites end at TLS 1.0, RFC 4346 §A.5).</param>
/// <param name="Flags">Export, IANA DTLS-OK/Recommended, non-IANA.</param>
public sealed record CipherSuiteInfo(
    ushort Code,
    string IanaName,
    string? OpenSslName,
    SuiteKind Kind,
    KeyExchange KeyExchange,
    Authentication Authentication,
    BulkCipher Cipher,
    int KeyBits,
    CipherMode Mode,
    MacAlgorithm Mac,
    TlsVersion MinVersion,
    TlsVersion MaxVersion,
    SuiteFlags Flags)
{
    /// <summary>Authenticated encryption (GCM, CCM, ChaCha20-Poly1305, AEGIS, MGM).</summary>
    public bool IsAead => Mode == CipherMode.Aead;

    /// <summary>No encryption (NULL cipher; includes RFC 9150 integrity-only TLS 1.3 suites).</summary>
    public bool IsNull => Kind != SuiteKind.Signaling && Cipher == BulkCipher.Null;

    /// <summary>Export-grade.</summary>
    public bool IsExport => (Flags & SuiteFlags.Export) != 0;

    /// <summary>No server authentication: DH_anon, ECDH_anon and TLS_NULL_WITH_NULL_NULL.</summary>
    public bool IsAnonymous => Authentication == Authentication.Anonymous || KeyExchange == KeyExchange.Null;

    /// <summary>Ephemeral key exchange (DHE, ECDHE, their PSK forms, ECCPWD, every TLS 1.3 suite).
    /// Anonymous suites are ephemeral too; combine with <see cref="IsAnonymous"/>.</summary>
    public bool ForwardSecrecy => KeyExchange is KeyExchange.Dhe or KeyExchange.Ecdhe or KeyExchange.DhePsk
        or KeyExchange.EcdhePsk or KeyExchange.EcCcPwd or KeyExchange.Any;

    /// <summary>A 64-bit block cipher (SWEET32, CVE-2016-2183): DES, 3DES, IDEA, RC2, GOST Magma/28147.</summary>
    public bool Is64BitBlock => Cipher is BulkCipher.DesCbc or BulkCipher.TripleDesEdeCbc or BulkCipher.IdeaCbc
        or BulkCipher.Rc2Cbc or BulkCipher.MagmaCtr or BulkCipher.MagmaMgm or BulkCipher.Gost28147Cnt;

    /// <summary>RC4 (RFC 7465 prohibits it).</summary>
    public bool IsRc4 => Cipher == BulkCipher.Rc4;

    /// <summary>A signalling value (SCSV) rather than a suite.</summary>
    public bool IsSignaling => Kind == SuiteKind.Signaling;

    /// <summary>In the IANA TLS Cipher Suites registry.</summary>
    public bool IsIana => (Flags & SuiteFlags.NotIana) == 0;

    /// <summary>IANA marks the suite "Recommended".</summary>
    public bool IsRecommended => (Flags & SuiteFlags.Recommended) != 0;

    /// <summary>True if the suite can be negotiated at <paramref name="version"/>.</summary>
    public bool IsDefinedFor(TlsVersion version) =>
        version != TlsVersion.Ssl2 && (ushort)version >= (ushort)MinVersion && (ushort)version <= (ushort)MaxVersion;

    /// <summary>OpenSSL name if known, otherwise the IANA name.</summary>
    public string DisplayName => OpenSslName ?? IanaName;

    public override string ToString() => $"0x{Code:X4} {IanaName}";
}
