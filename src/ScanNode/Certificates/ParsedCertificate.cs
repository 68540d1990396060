using System.Collections.Concurrent;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using XmppScanCluster.Shared.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>A certificate parsed once: the facts plus what path building and DANE need (DER, SPKI, key ids).</summary>
internal sealed class ParsedCertificate
{
    // Store certificates are shared by concurrent scans, so the cache must be thread-safe.
    private readonly ConcurrentDictionary<string, bool> _verifiedBy = new(StringComparer.Ordinal);
    private CertificateKey? _key;

    public ParsedCertificate(BcCertificate bc, byte[] der, byte[] spkiDer, CertificateFacts facts, byte[]? subjectKeyId, byte[]? authorityKeyId, bool keySafeToVerify)
    {
        KeySafeToVerify = keySafeToVerify;
        Bc = bc;
        Der = der;
        SpkiDer = spkiDer;
        Facts = facts;
        SubjectKeyId = subjectKeyId;
        AuthorityKeyId = authorityKeyId;
        SubjectKey = NameKey(bc.SubjectDN);
        IssuerKey = NameKey(bc.IssuerDN);
    }

    public BcCertificate Bc { get; }

    /// <summary>False when the public key is too large or odd to verify signatures with at a bounded cost.</summary>
    public bool KeySafeToVerify { get; }

    public byte[] Der { get; }

    public byte[] SpkiDer { get; }

    public CertificateFacts Facts { get; }

    public byte[]? SubjectKeyId { get; }

    public byte[]? AuthorityKeyId { get; }

    /// <summary>Canonical subject DN used to look up issuers.</summary>
    public string SubjectKey { get; }

    public string IssuerKey { get; }

    public string Sha256 => Facts.Sha256;

    /// <summary>This certificate's key as .NET verifies with it, decoded at first use (a race decodes it twice, harmlessly).</summary>
    public CertificateKey Key => LazyInitializer.EnsureInitialized(ref _key, () => CertificateKey.Decode(Der));

    /// <summary>Canonical form for issuer/subject comparison: BouncyCastle's text, lower-cased (case-insensitive match).</summary>
    public static string NameKey(X509Name name) => name.ToString().ToLowerInvariant();

    /// <summary>True when this certificate's signature verifies with <paramref name="issuer"/>'s public key. Cached.</summary>
    public bool IsSignedBy(ParsedCertificate issuer)
    {
        if (_verifiedBy.TryGetValue(issuer.Sha256, out var cached))
        {
            return cached;
        }

        var ok = issuer.KeySafeToVerify && (RsaCertificateSignature.Verified(this, issuer) || VerifyWith(Bc, issuer.Bc));
        _verifiedBy.TryAdd(issuer.Sha256, ok);
        return ok;
    }

    internal static bool VerifyWith(BcCertificate subject, BcCertificate issuer)
    {
        try
        {
            AsymmetricKeyParameter key = VerificationKeys.Of(issuer);
            subject.Verify(key);
            return true;
        }
        catch (Exception)
        {
            return false; // Wrong key, bad signature, or an algorithm BouncyCastle cannot verify.
        }
    }
}
