using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Anssi;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.TeleTrust;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>Algorithm, size, curve and exponent of a SubjectPublicKeyInfo (RFC 3279, RFC 5480, RFC 8410).</summary>
internal static class KeyDescriber
{
    internal readonly record struct KeyDescription(KeyAlgorithm Algorithm, int Bits, string? Curve, string? RsaExponent, bool SafeToVerify = true);

    /// <summary>Larger RSA/DSA moduli are refused for signature checks: a hostile key must not cost seconds of CPU.</summary>
    public const int MaxVerifiableModulusBits = 16384;

    /// <summary>Real RSA exponents are 3, 65537 or at most 32 bits; a huge one makes every verification a slow modPow.</summary>
    public const int MaxVerifiableExponentBits = 64;

    /// <summary>Larger EC fields (explicit or binary curves) are refused for signature checks.</summary>
    public const int MaxVerifiableFieldBits = 1024;

    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string RsassaPss = "1.2.840.113549.1.1.10";
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string Dsa = "1.2.840.10040.4.1";
    private const string Ed25519 = "1.3.101.112";
    private const string Ed448 = "1.3.101.113";

    /// <summary>Never throws: a malformed key yields the algorithm with 0 bits, an unknown one <see cref="KeyAlgorithm.Unknown"/>.</summary>
    public static KeyDescription Describe(SubjectPublicKeyInfo spki)
    {
        var oid = spki.Algorithm.Algorithm.Id;
        try
        {
            return oid switch
            {
                RsaEncryption or RsassaPss => DescribeRsa(spki),
                EcPublicKey => DescribeEc(spki.Algorithm.Parameters),
                Dsa => DescribeDsa(spki.Algorithm.Parameters),
                Ed25519 => new(KeyAlgorithm.Ed25519, 256, null, null),
                Ed448 => new(KeyAlgorithm.Ed448, 448, null, null),
                _ => new(KeyAlgorithm.Unknown, 0, null, null),
            };
        }
        catch (Exception)
        {
            var algorithm = oid switch
            {
                RsaEncryption or RsassaPss => KeyAlgorithm.Rsa,
                EcPublicKey => KeyAlgorithm.Ec,
                Dsa => KeyAlgorithm.Dsa,
                _ => KeyAlgorithm.Unknown,
            };
            return new(algorithm, 0, null, null, false);
        }
    }

    private static KeyDescription DescribeRsa(SubjectPublicKeyInfo spki)
    {
        var rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
        var exponentBits = rsa.PublicExponent.BitLength;
        var exponent = exponentBits <= MaxVerifiableExponentBits ? rsa.PublicExponent.ToString() : $"0x{Truncate(rsa.PublicExponent.ToString(16))}";
        var safe = rsa.Modulus.BitLength <= MaxVerifiableModulusBits && exponentBits <= MaxVerifiableExponentBits;
        return new(KeyAlgorithm.Rsa, rsa.Modulus.BitLength, null, exponent, safe);
    }

    private static KeyDescription DescribeEc(Asn1Encodable? parameters)
    {
        var x962 = X962Parameters.GetInstance(parameters);
        if (x962.IsNamedCurve)
        {
            var curveOid = DerObjectIdentifier.GetInstance(x962.Parameters);
            var curve = CurveName(curveOid);
            var table = Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByOid(curveOid);
            var bits = table?.Curve.FieldSize ?? 0;
            return new(KeyAlgorithm.Ec, bits, curve, null, bits <= MaxVerifiableFieldBits);
        }

        if (x962.IsImplicitlyCA)
        {
            return new(KeyAlgorithm.Ec, 0, "implicitlyCA", null, false);
        }

        // Explicit parameters (RFC 3279 §2.3.5): rare and discouraged, but the field size is still the strength.
        var explicitParams = X9ECParameters.GetInstance(x962.Parameters);
        var fieldBits = explicitParams.Curve.FieldSize;
        return new(KeyAlgorithm.Ec, fieldBits, "explicit", null, fieldBits <= MaxVerifiableFieldBits);
    }

    private static KeyDescription DescribeDsa(Asn1Encodable? parameters)
    {
        // RFC 3279 §2.3.2: parameters may be absent (inherited from the issuer); then the size is unknown.
        if (parameters is null or DerNull)
        {
            return new(KeyAlgorithm.Dsa, 0, null, null);
        }

        var p = DsaParameter.GetInstance(parameters);
        var safe = p.P.BitLength <= MaxVerifiableModulusBits && p.Q.BitLength <= 512;
        return new(KeyAlgorithm.Dsa, p.P.BitLength, null, null, safe);
    }

    private static string Truncate(string hex) => hex.Length > 64 ? hex[..64] + "…" : hex;

    /// <summary>NIST names first (P-256), then SEC, Brainpool and ANSSI names, else the OID.</summary>
    private static string CurveName(DerObjectIdentifier oid) =>
        NistNamedCurves.GetName(oid)
        ?? SecNamedCurves.GetName(oid)
        ?? TeleTrusTNamedCurves.GetName(oid)
        ?? AnssiNamedCurves.GetName(oid)
        ?? oid.Id;
}
