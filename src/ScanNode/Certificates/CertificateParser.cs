using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using XmppScanCluster.Shared.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Turns one DER certificate as sent by a server into <see cref="CertificateFacts"/>. Never throws: size and
/// outer length are checked before BouncyCastle sees the bytes, and its exceptions are caught at this boundary.
/// <code>
/// Certificate ::= SEQUENCE {  -- RFC 5280 §4.1
///     tbsCertificate       TBSCertificate,
///     signatureAlgorithm   AlgorithmIdentifier,
///     signatureValue       BIT STRING }
/// </code>
/// </summary>
public static class CertificateParser
{
    /// <summary>Largest certificate accepted (a TLS handshake message is bounded by the same figure).</summary>
    public const int MaxCertificateBytes = 64 * 1024;

    /// <summary>Deepest DER nesting accepted, counting DER wrapped in OCTET/BIT STRINGs (extensions).</summary>
    public const int MaxNestingDepth = 48;

    /// <summary>Parses <paramref name="der"/>; on failure <paramref name="error"/> starts with a class
    /// (<c>empty</c>, <c>too large</c>, <c>truncated</c>, <c>trailing data</c>, <c>malformed</c>) and says why.</summary>
    public static bool TryParse(ReadOnlySpan<byte> der, out CertificateFacts? facts, out string? error)
    {
        var ok = TryParseCertificate(der, out var parsed, out error);
        facts = parsed?.Facts;
        return ok;
    }

    /// <summary>Parses <paramref name="der"/> into what path building needs too; a DER parsed before in this process (same
    /// SHA-256) gives the same instance (<see cref="ParsedCertificates"/>), without a second parse.</summary>
    internal static bool TryParseCertificate(ReadOnlySpan<byte> der, out ParsedCertificate? parsed, out string? error)
    {
        var sha256 = der.Length <= MaxCertificateBytes ? Convert.ToHexStringLower(SHA256.HashData(der)) : null;
        if (sha256 is not null && ParsedCertificates.TryGet(sha256, out parsed))
        {
            error = null;
            return true;
        }

        parsed = null;
        if (!DerFrame.Check(der, MaxCertificateBytes, out error))
        {
            return false;
        }

        // BouncyCastle's ASN.1 reader recurses per nesting level: a hostile certificate of nested SEQUENCE
        // headers would overflow the stack, which no catch can stop. Real certificates nest about 12 deep.
        if (!DerDepthGuard.Check(der, MaxNestingDepth, out var depthError))
        {
            error = $"malformed: {depthError}";
            return false;
        }

        var bytes = der.ToArray();
        try
        {
            var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(bytes));
            var bc = new BcCertificate(structure);
            if (!TryBuild(bc, structure, bytes, sha256!, out parsed, out error))
            {
                return false;
            }

            ParsedCertificates.Add(parsed!);
            return true;
        }
        catch (Exception e)
        {
            error = $"malformed: {e.GetType().Name}: {TextSanitizer.Clean(e.Message, 300)}";
            return false;
        }
    }

    private static bool TryBuild(BcCertificate bc, X509CertificateStructure structure, byte[] der, string sha256, out ParsedCertificate? parsed,
        out string? error)
    {
        parsed = null;
        var extensions = structure.TbsCertificate.Extensions;
        IReadOnlyList<SubjectAltName> sans = [];
        var sanValue = ExtensionReader.Value(extensions, X509Extensions.SubjectAlternativeName);
        if (sanValue is not null && !SubjectAltNameReader.TryRead(sanValue, out sans, out var sanError))
        {
            error = $"malformed: {sanError}";
            return false;
        }

        var spkiDer = structure.SubjectPublicKeyInfo.GetDerEncoded();
        var key = KeyDescriber.Describe(structure.SubjectPublicKeyInfo);
        var (signatureName, signatureHash) = SignatureAlgorithms.Describe(structure.SignatureAlgorithm);
        var (isCa, pathLength) = ExtensionReader.BasicConstraints(extensions);
        var (ocsp, caIssuers) = ExtensionReader.AuthorityInfoAccess(extensions);
        var commonNames = bc.SubjectDN.GetValueList(X509Name.CN);
        var commonName = commonNames.Count > 0 ? TextSanitizer.Clean(commonNames[^1]?.ToString()) : null;
        var selfSigned = key.SafeToVerify && bc.SubjectDN.Equivalent(bc.IssuerDN) && ParsedCertificate.VerifyWith(bc, bc);

        var facts = new CertificateFacts(
            Sha256: sha256,
            SpkiSha256: Convert.ToHexStringLower(SHA256.HashData(spkiDer)),
            Subject: TextSanitizer.Clean(bc.SubjectDN.ToString()),
            Issuer: TextSanitizer.Clean(bc.IssuerDN.ToString()),
            CommonName: commonName,
            SerialNumber: bc.SerialNumber.ToString(16),
            NotBefore: Utc(bc.NotBefore),
            NotAfter: Utc(bc.NotAfter),
            KeyAlgorithm: key.Algorithm,
            KeyBits: key.Bits,
            Curve: key.Curve,
            RsaExponent: key.RsaExponent,
            SignatureAlgorithm: signatureName,
            SignatureHash: signatureHash,
            IsCa: isCa,
            PathLength: pathLength,
            KeyUsage: ExtensionReader.KeyUsage(bc.GetKeyUsage()),
            ExtendedKeyUsage: ExtensionReader.ExtendedKeyUsage(extensions),
            SubjectAltNames: sans,
            OcspUrls: ocsp,
            CaIssuerUrls: caIssuers,
            CrlUrls: ExtensionReader.CrlUrls(extensions),
            IsSelfSigned: selfSigned);

        parsed = new ParsedCertificate(bc, der, spkiDer, facts,
            ExtensionReader.SubjectKeyId(extensions), ExtensionReader.AuthorityKeyId(extensions), key.SafeToVerify);
        error = null;
        return true;
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
