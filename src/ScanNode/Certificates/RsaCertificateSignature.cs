using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// A certificate's RSASSA-PKCS1-v1_5 signature (RFC 8017 §8.2, the sha*WithRSAEncryption algorithms of RFC 4055 §5)
/// checked by OpenSSL with the issuer's kept key (<see cref="ParsedCertificate.Key"/>): 20 µs against 270–350 µs for
/// BouncyCastle's managed RSA, which every certificate seen for the first time paid (a domain's own leaf: 2.7 % of a
/// depth-session census's CPU, bench/depth-session, issue 14). It only ever says yes: anything it does not handle, and a
/// signature OpenSSL does not verify, is left to BouncyCastle (<see cref="ParsedCertificate.VerifyWith"/>), so the verdict
/// is BouncyCastle's except in how long it takes. ECDSA stays with BouncyCastle, which was faster than OpenSSL 3 on P-384.
/// </summary>
internal static class RsaCertificateSignature
{
    /// <summary>True when <paramref name="subject"/>'s signature is a PKCS#1 v1.5 RSA signature that OpenSSL verified with
    /// <paramref name="issuer"/>'s key; false when not handled here or not verified (ask BouncyCastle).</summary>
    public static bool Verified(ParsedCertificate subject, ParsedCertificate issuer)
    {
        var structure = subject.Bc.CertificateStructure;
        var algorithm = structure.SignatureAlgorithm;
        HashAlgorithmName? hash = algorithm.Algorithm.Id switch
        {
            "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
            "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => null,
        };
        // The signed part must name the same algorithm (RFC 5280 §4.1.1.2), here byte for byte, and the parameters be
        // NULL or absent (RFC 4055 §5); BouncyCastle judges every other form.
        if (hash is null || !algorithm.Equals(structure.TbsCertificate.Signature)
            || algorithm.Parameters is not (null or DerNull))
        {
            return false;
        }

        return issuer.Key.VerifyRsa(subject.Bc.GetTbsCertificate(), subject.Bc.GetSignature(), hash.Value, RSASignaturePadding.Pkcs1);
    }
}
