namespace XmppScanCluster.Shared.Certificates;

/// <summary>Public key algorithm of a certificate's SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).</summary>
public enum KeyAlgorithm
{
    Rsa,
    Ec,
    Dsa,
    Ed25519,
    Ed448,
    Unknown,
}

/// <summary>The kinds of subjectAltName entry (RFC 5280 §4.2.1.6) an XMPP scan distinguishes.</summary>
public enum SubjectAltNameType
{
    /// <summary>dNSName [2] IA5String.</summary>
    DnsName,

    /// <summary>iPAddress [7], rendered as IPv4 dotted quad or IPv6 text.</summary>
    IpAddress,

    /// <summary>otherName id-on-dnsSRV 1.3.6.1.5.5.7.8.7 (RFC 4985), e.g. <c>_xmpp-client.example.org</c>.</summary>
    SrvName,

    /// <summary>otherName id-on-xmppAddr 1.3.6.1.5.5.7.8.5 (RFC 6120 §13.7.1.4), a UTF8String JID.</summary>
    XmppAddr,

    /// <summary>uniformResourceIdentifier [6].</summary>
    Uri,

    /// <summary>rfc822Name [1].</summary>
    Email,

    /// <summary>Any other otherName (value is <c>OID=hex</c>) or other GeneralName form.</summary>
    OtherName,
}

/// <summary>One subjectAltName entry, its value sanitised of control characters.</summary>
public sealed record SubjectAltName(SubjectAltNameType Type, string Value);

/// <summary>
/// Facts read from one X.509 certificate as sent by a server. Pure data: grading judges them later.
/// Strings are sanitised (control characters replaced) and bounded; fingerprints are lower-case hex.
/// </summary>
/// <param name="Sha256">SHA-256 of the DER bytes as received; the census key of a certificate.</param>
/// <param name="SpkiSha256">SHA-256 of the DER SubjectPublicKeyInfo (the DANE selector 1 / HPKP pin input).</param>
/// <param name="Subject">Subject DN in RFC 4514-like text.</param>
/// <param name="Issuer">Issuer DN in RFC 4514-like text.</param>
/// <param name="CommonName">The last (most specific) subject CN, if any.</param>
/// <param name="SerialNumber">Serial number, lower-case hex.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
/// <param name="KeyAlgorithm">Public key algorithm.</param>
/// <param name="KeyBits">RSA modulus bits, EC field bits, DSA p bits, 256/448 for Ed25519/Ed448, 0 if unknown.</param>
/// <param name="Curve">Named curve of an EC key (e.g. <c>P-256</c>, <c>secp256r1</c>), or the OID if unnamed.</param>
/// <param name="RsaExponent">RSA public exponent in decimal.</param>
/// <param name="SignatureAlgorithm">e.g. <c>sha256WithRSAEncryption</c>, <c>ecdsa-with-SHA256</c>, or the OID.</param>
/// <param name="SignatureHash">md5, sha1, sha224, sha256, sha384, sha512, intrinsic (EdDSA) or unknown.</param>
/// <param name="IsCa">basicConstraints cA is TRUE.</param>
/// <param name="PathLength">basicConstraints pathLenConstraint when present.</param>
/// <param name="KeyUsage">keyUsage bit names (digitalSignature, keyCertSign…), empty when absent.</param>
/// <param name="ExtendedKeyUsage">extKeyUsage names (serverAuth, clientAuth…) or OIDs.</param>
/// <param name="SubjectAltNames">Typed subjectAltName entries in certificate order (at most 1000).</param>
/// <param name="OcspUrls">AIA id-ad-ocsp URLs (recorded, never fetched).</param>
/// <param name="CaIssuerUrls">AIA id-ad-caIssuers URLs (recorded, never fetched).</param>
/// <param name="CrlUrls">cRLDistributionPoints fullName URLs (recorded, never fetched).</param>
/// <param name="IsSelfSigned">Subject equals issuer and the signature verifies with the certificate's own key.</param>
public sealed record CertificateFacts(
    string Sha256,
    string SpkiSha256,
    string Subject,
    string Issuer,
    string? CommonName,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    KeyAlgorithm KeyAlgorithm,
    int KeyBits,
    string? Curve,
    string? RsaExponent,
    string SignatureAlgorithm,
    string SignatureHash,
    bool IsCa,
    int? PathLength,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    IReadOnlyList<SubjectAltName> SubjectAltNames,
    IReadOnlyList<string> OcspUrls,
    IReadOnlyList<string> CaIssuerUrls,
    IReadOnlyList<string> CrlUrls,
    bool IsSelfSigned);
