using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>Names the signature algorithm of a certificate (RFC 5280 §4.1.1.2) and the hash it uses.</summary>
internal static class SignatureAlgorithms
{
    private static readonly Dictionary<string, (string Name, string Hash)> Known = new()
    {
        ["1.2.840.113549.1.1.2"] = ("md2WithRSAEncryption", "md2"),
        ["1.2.840.113549.1.1.4"] = ("md5WithRSAEncryption", "md5"),
        ["1.2.840.113549.1.1.5"] = ("sha1WithRSAEncryption", "sha1"),
        ["1.3.14.3.2.29"] = ("sha1WithRSASignature", "sha1"),
        ["1.2.840.113549.1.1.14"] = ("sha224WithRSAEncryption", "sha224"),
        ["1.2.840.113549.1.1.11"] = ("sha256WithRSAEncryption", "sha256"),
        ["1.2.840.113549.1.1.12"] = ("sha384WithRSAEncryption", "sha384"),
        ["1.2.840.113549.1.1.13"] = ("sha512WithRSAEncryption", "sha512"),
        ["1.2.840.10045.4.1"] = ("ecdsa-with-SHA1", "sha1"),
        ["1.2.840.10045.4.3.1"] = ("ecdsa-with-SHA224", "sha224"),
        ["1.2.840.10045.4.3.2"] = ("ecdsa-with-SHA256", "sha256"),
        ["1.2.840.10045.4.3.3"] = ("ecdsa-with-SHA384", "sha384"),
        ["1.2.840.10045.4.3.4"] = ("ecdsa-with-SHA512", "sha512"),
        ["1.2.840.10040.4.3"] = ("dsa-with-sha1", "sha1"),
        ["2.16.840.1.101.3.4.3.1"] = ("dsa-with-sha224", "sha224"),
        ["2.16.840.1.101.3.4.3.2"] = ("dsa-with-sha256", "sha256"),
        ["1.3.101.112"] = ("Ed25519", "intrinsic"),
        ["1.3.101.113"] = ("Ed448", "intrinsic"),
    };

    private static readonly Dictionary<string, string> Digests = new()
    {
        ["1.2.840.113549.2.5"] = "md5",
        ["1.3.14.3.2.26"] = "sha1",
        ["2.16.840.1.101.3.4.2.4"] = "sha224",
        ["2.16.840.1.101.3.4.2.1"] = "sha256",
        ["2.16.840.1.101.3.4.2.2"] = "sha384",
        ["2.16.840.1.101.3.4.2.3"] = "sha512",
    };

    /// <summary>Hashes no longer collision resistant enough for certificate signatures (CA/B Forum BR 7.1.3).</summary>
    public static bool IsWeakHash(string hash) => hash is "md2" or "md5" or "sha1";

    public static (string Name, string Hash) Describe(AlgorithmIdentifier algorithm)
    {
        var oid = algorithm.Algorithm.Id;
        if (Known.TryGetValue(oid, out var known))
        {
            return known;
        }

        if (oid == PkcsObjectIdentifiers.IdRsassaPss.Id)
        {
            // RFC 4055 §3.1: the hash is a parameter; absent parameters mean SHA-1.
            var hash = "sha1";
            try
            {
                if (algorithm.Parameters is Asn1Encodable p and not DerNull)
                {
                    var pss = RsassaPssParameters.GetInstance(p);
                    hash = Digests.GetValueOrDefault(pss.HashAlgorithm.Algorithm.Id, "unknown");
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidCastException or InvalidOperationException)
            {
                hash = "unknown";
            }

            return ("rsassa-pss", hash);
        }

        return (oid, "unknown");
    }
}
