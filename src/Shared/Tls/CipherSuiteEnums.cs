namespace XmppScanCluster.Shared.Tls;

/// <summary>How the premaster/shared secret is agreed. Static (D)ECDH and ephemeral are kept apart.</summary>
public enum KeyExchange
{
    /// <summary>Signalling values (SCSV) only: no key exchange at all.</summary>
    None,
    /// <summary>TLS_NULL_WITH_NULL_NULL: no key exchange.</summary>
    Null,
    Rsa,
    /// <summary>Static Diffie-Hellman from the certificate (DH_DSS, DH_RSA).</summary>
    Dh,
    /// <summary>Ephemeral finite-field Diffie-Hellman (also DH_anon).</summary>
    Dhe,
    /// <summary>Static ECDH from the certificate (ECDH_ECDSA, ECDH_RSA).</summary>
    Ecdh,
    /// <summary>Ephemeral ECDH (also ECDH_anon).</summary>
    Ecdhe,
    Psk,
    DhePsk,
    RsaPsk,
    EcdhePsk,
    Srp,
    Krb5,
    /// <summary>RFC 8492 ECCPWD (password-authenticated, ephemeral).</summary>
    EcCcPwd,
    /// <summary>RFC 9189 GOST VKO key agreement.</summary>
    Gost,
    /// <summary>TLS 1.3 suites: key exchange is negotiated separately (key_share).</summary>
    Any,
}

/// <summary>How the server proves who it is.</summary>
public enum Authentication
{
    /// <summary>Signalling values and TLS_NULL_WITH_NULL_NULL.</summary>
    None,
    /// <summary>No authentication: DH_anon / ECDH_anon.</summary>
    Anonymous,
    Rsa,
    Dss,
    Ecdsa,
    Psk,
    Srp,
    Krb5,
    Password,
    Gost,
    /// <summary>TLS 1.3 suites: by certificate/signature_algorithms, not by the suite.</summary>
    Any,
}

/// <summary>The bulk cipher of a suite, with mode where it matters.</summary>
public enum BulkCipher
{
    Null,
    Rc4,
    Rc2Cbc,
    DesCbc,
    TripleDesEdeCbc,
    IdeaCbc,
    SeedCbc,
    AesCbc,
    AesGcm,
    AesCcm,
    AesCcm8,
    CamelliaCbc,
    CamelliaGcm,
    AriaCbc,
    AriaGcm,
    ChaCha20Poly1305,
    Aegis256,
    Aegis128L,
    Sm4Gcm,
    Sm4Ccm,
    KuznyechikCtr,
    MagmaCtr,
    Gost28147Cnt,
    KuznyechikMgm,
    MagmaMgm,
}

/// <summary>The cipher's mode family (what BEAST/Lucky13/RC4 rules look at).</summary>
public enum CipherMode
{
    /// <summary>No encryption.</summary>
    None,
    Stream,
    Cbc,
    Ctr,
    Aead,
}

/// <summary>Record integrity: an HMAC hash, a GOST MAC, or the AEAD itself.</summary>
public enum MacAlgorithm
{
    None,
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sm3,
    GostOmac,
    GostImit,
    Aead,
}

/// <summary>What a code point is.</summary>
public enum SuiteKind
{
    /// <summary>An SSLv3–TLS 1.2 suite naming key exchange, authentication, cipher and MAC.</summary>
    Standard,
    /// <summary>A TLS 1.3 suite (cipher and hash only).</summary>
    Tls13,
    /// <summary>A signalling value, not a suite: TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV.</summary>
    Signaling,
}

/// <summary>Registry facts that do not follow from the other columns.</summary>
[Flags]
public enum SuiteFlags
{
    None = 0,
    /// <summary>An export-grade suite (RFC 2246 §A.5 and the non-IANA EXPORT1024 family).</summary>
    Export = 1,
    /// <summary>IANA "DTLS-OK" = Y.</summary>
    DtlsOk = 2,
    /// <summary>IANA "Recommended" = Y.</summary>
    Recommended = 4,
    /// <summary>Not in the IANA registry (drafts and vendor values that OpenSSL/testssl know).</summary>
    NotIana = 8,
}
