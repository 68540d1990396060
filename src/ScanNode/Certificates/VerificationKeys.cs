using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// The public key of a certificate, for verifying a signature. BouncyCastle 2.x proves every RSA modulus composite
/// with Miller-Rabin rounds before use (10–60 ms per key: 8 s of CPU to load the system trust store, measured);
/// verifying a signature needs no such proof, so the rounds are turned off through BouncyCastle's own setting
/// (<c>Org.BouncyCastle.Rsa.MaxMRTests</c>, read from the environment) unless the operator set it. What stays is
/// what 1.8.10 checked (odd modulus, no small factors) plus its size cap (16,384 bits); our own bound on the key
/// before verifying is <see cref="ParsedCertificate.KeySafeToVerify"/>.
/// </summary>
internal static class VerificationKeys
{
    private const string MillerRabinRounds = "Org.BouncyCastle.Rsa.MaxMRTests";

    static VerificationKeys()
    {
        if (Environment.GetEnvironmentVariable(MillerRabinRounds) is null)
        {
            Environment.SetEnvironmentVariable(MillerRabinRounds, "0");
        }
    }

    public static AsymmetricKeyParameter Of(BcCertificate certificate) => certificate.GetPublicKey();
}
