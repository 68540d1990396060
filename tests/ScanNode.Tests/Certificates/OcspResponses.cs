using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>Builds OCSP responses in-test with BouncyCastle (RFC 6960), signed by the issuer or a delegated responder.</summary>
internal static class OcspResponses
{
    private static readonly SecureRandom Random = new();

    /// <summary>A successful basic response about <paramref name="serial"/> (the leaf's when null) issued under <paramref name="issuer"/>.</summary>
    public static byte[] Make(
        X509Certificate issuer,
        AsymmetricCipherKeyPair signer,
        X509Certificate leaf,
        CertificateStatus? status,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate,
        BigInteger? serial = null,
        X509Certificate[]? responderChain = null,
        string hash = "1.3.14.3.2.26") // OIW id-sha1, the CertID hash RFC 6960 §4.1.1 responders use by default
    {
        var id = new CertificateID(new AlgorithmIdentifier(new DerObjectIdentifier(hash), DerNull.Instance), issuer, serial ?? leaf.SerialNumber);
        var generator = new BasicOcspRespGenerator(signer.Public);
        if (nextUpdate is { } next)
        {
            generator.AddResponse(id, status, thisUpdate.UtcDateTime, next.UtcDateTime, null);
        }
        else
        {
            generator.AddResponse(id, status); // BouncyCastle then writes thisUpdate = the current time and no nextUpdate.
        }
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", signer.Private, Random), responderChain, thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
    }

    /// <summary>An unsuccessful response: just the status, no responseBytes (RFC 6960 §4.2.1).</summary>
    public static byte[] Error(int status) => new OCSPRespGenerator().Generate(status, null).GetEncoded();
}
