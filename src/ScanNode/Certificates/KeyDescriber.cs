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
    internal readonly record struct KeyDescription(KeyAlgorithm Algorithm, int Bits, string? Curve, string? RsaExponent);

    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string RsassaPss = "1.2.840.113549.1.1.10";
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string Dsa = "1.2.840.10040.4.1";
    private const string Ed25519 = "1.3.101.112";
    private const string Ed448 = "1.3.101.113";

    /// <summary>Never throws: a malformed key yields the algorithm with 0 bits, an unknown one <see cref="KeyAlgorithm.Unknown"/>.</summary>
    public static KeyDescription Describe(SubjectPublicKeyInfo spki)
    {
        var oid = spki.AlgorithmID.Algorithm.Id;
        try
        {
            return oid switch
            {
                RsaEncryption or RsassaPss => DescribeRsa(spki),
                EcPublicKey => DescribeEc(spki.AlgorithmID.Parameters),
                Dsa => new(KeyAlgorithm.Dsa, DsaParameter.GetInstance(spki.AlgorithmID.Parameters).P.BitLength, null, null),
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
            return new(algorithm, 0, null, null);
        }
    }

    private static KeyDescription DescribeRsa(SubjectPublicKeyInfo spki)
    {
        var rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
        return new(KeyAlgorithm.Rsa, rsa.Modulus.BitLength, null, rsa.PublicExponent.ToString());
    }

    private static KeyDescription DescribeEc(Asn1Encodable? parameters)
    {
        var x962 = X962Parameters.GetInstance(parameters);
        if (x962.IsNamedCurve)
        {
            var curveOid = DerObjectIdentifier.GetInstance(x962.Parameters);
            var curve = CurveName(curveOid);
            var table = Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByOid(curveOid);
            return new(KeyAlgorithm.Ec, table?.Curve.FieldSize ?? 0, curve, null);
        }

        if (x962.IsImplicitlyCA)
        {
            return new(KeyAlgorithm.Ec, 0, "implicitlyCA", null);
        }

        // Explicit parameters (RFC 3279 §2.3.5): rare and discouraged, but the field size is still the strength.
        var explicitParams = X9ECParameters.GetInstance(x962.Parameters);
        return new(KeyAlgorithm.Ec, explicitParams.Curve.FieldSize, "explicit", null);
    }

    /// <summary>NIST names first (P-256), then SEC, Brainpool and ANSSI names, else the OID.</summary>
    private static string CurveName(DerObjectIdentifier oid) =>
        NistNamedCurves.GetName(oid)
        ?? SecNamedCurves.GetName(oid)
        ?? TeleTrusTNamedCurves.GetName(oid)
        ?? AnssiNamedCurves.GetName(oid)
        ?? oid.Id;
}
