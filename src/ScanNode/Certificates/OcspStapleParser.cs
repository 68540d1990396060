using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using XmppScanCluster.Shared.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Reads a stapled OCSP response (RFC 6960 §4.2.1) and classifies it against the leaf it came with. Nothing is
/// fetched. Input is bounded (64 KiB, nesting depth) and checked by <see cref="DerDepthGuard"/> before
/// BouncyCastle parses it; any parser exception becomes <see cref="OcspStapleStatus.Unparseable"/>.
/// <code>
/// OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
/// ResponseBytes ::= SEQUENCE { responseType OID (id-pkix-ocsp-basic), response OCTET STRING }
/// BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] OPTIONAL }
/// ResponseData ::= SEQUENCE { version [0], responderID, producedAt, responses SEQUENCE OF SingleResponse, … }
/// SingleResponse ::= SEQUENCE { certID CertID, certStatus, thisUpdate, nextUpdate [0] OPTIONAL, … }
/// CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }
/// </code>
/// </summary>
public static class OcspStapleParser
{
    /// <summary>Largest staple accepted: the CertificateStatus handshake message has the same bound.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>Deepest DER nesting accepted (real responses with embedded responder certificates stay below 20).</summary>
    public const int MaxDepth = 40;

    /// <summary>Most SingleResponses and embedded certificates looked at.</summary>
    public const int MaxEntries = 64;

    private static readonly string[] ResponseStatusNames =
        ["successful", "malformedRequest", "internalError", "tryLater", "(unused 4)", "sigRequired", "unauthorized"];

    /// <summary>Public entry point over DER certificates: <paramref name="issuerDer"/> may be null when the issuer is not known.</summary>
    public static OcspStapleFacts Analyze(byte[] response, byte[] leafDer, byte[]? issuerDer, DateTimeOffset now)
    {
        if (!CertificateParser.TryParseCertificate(leafDer, out var leaf, out var error) || leaf is null)
        {
            return new OcspStapleFacts(OcspStapleStatus.Unparseable, $"the leaf cannot be parsed: {error}", Der: Evidence(response));
        }

        ParsedCertificate? issuer = null;
        if (issuerDer is not null && CertificateParser.TryParseCertificate(issuerDer, out var parsedIssuer, out _))
        {
            issuer = parsedIssuer;
        }

        return Analyze(response, leaf, issuer, now);
    }

    internal static OcspStapleFacts Analyze(ReadOnlySpan<byte> response, ParsedCertificate leaf, ParsedCertificate? issuer, DateTimeOffset now)
    {
        var der = Evidence(response);
        if (response.IsEmpty)
        {
            return new OcspStapleFacts(OcspStapleStatus.Unparseable, "empty OCSP response", Der: der);
        }

        if (response.Length > MaxResponseBytes)
        {
            return new OcspStapleFacts(OcspStapleStatus.Unparseable, $"OCSP response of {response.Length} bytes exceeds {MaxResponseBytes}");
        }

        if (!DerDepthGuard.Check(response, MaxDepth, out var guardError))
        {
            return new OcspStapleFacts(OcspStapleStatus.Unparseable, $"not an OCSP response: {guardError}", Der: der);
        }

        try
        {
            return Classify(new OcspResp(der!), leaf, issuer, now, der!);
        }
        catch (Exception e)
        {
            // BouncyCastle throws IOException, ArgumentException, InvalidCastException, OcspException… on bad input.
            return new OcspStapleFacts(OcspStapleStatus.Unparseable,
                $"not an OCSP response: {e.GetType().Name}: {TextSanitizer.Clean(e.Message, 200)}", Der: der);
        }
    }

    private static OcspStapleFacts Classify(OcspResp resp, ParsedCertificate leaf, ParsedCertificate? issuer, DateTimeOffset now, byte[] der)
    {
        var statusName = resp.Status is >= 0 and < 7 ? ResponseStatusNames[resp.Status] : $"unknown({resp.Status})";
        if (resp.Status != OcspRespStatus.Successful)
        {
            return new OcspStapleFacts(OcspStapleStatus.ResponderError, $"the responder said {statusName}", statusName, Der: der);
        }

        if (resp.GetResponseObject() is not BasicOcspResp basic)
        {
            return new OcspStapleFacts(OcspStapleStatus.Unparseable, "successful, but not an id-pkix-ocsp-basic response", statusName, Der: der);
        }

        var responses = basic.Responses;
        var serials = responses.Take(MaxEntries).Select(r => r.GetCertID().SerialNumber.ToString(16)).ToList();
        var single = responses.Take(MaxEntries).FirstOrDefault(r => IsForLeaf(r.GetCertID(), leaf, issuer));
        var producedAt = Utc(basic.ProducedAt);
        var signature = VerifySignature(basic, issuer);
        if (single is null)
        {
            var first = responses.FirstOrDefault();
            return new OcspStapleFacts(OcspStapleStatus.WrongCertificate,
                $"the staple is not for the leaf (serial {leaf.Facts.SerialNumber}); it names {(serials.Count == 0 ? "no certificate" : string.Join(", ", serials))}",
                statusName, null, producedAt, first is null ? null : Utc(first.ThisUpdate), first?.NextUpdate is { } n ? Utc(n) : null,
                Serials: serials, ForLeaf: false, SignatureValid: signature, Der: der);
        }

        var thisUpdate = Utc(single.ThisUpdate);
        DateTimeOffset? nextUpdate = single.NextUpdate is { } next ? Utc(next) : null;
        var (certStatus, revokedAt, reason) = ReadStatus(single.GetCertStatus());
        var (status, message) = certStatus switch
        {
            OcspCertStatus.Revoked => (OcspStapleStatus.Revoked, $"revoked at {revokedAt:u}{(reason is null ? "" : $" ({reason})")}"),
            _ when thisUpdate > now => (OcspStapleStatus.NotYetValid, $"thisUpdate {thisUpdate:u} is in the future"),
            _ when nextUpdate < now => (OcspStapleStatus.Expired, $"stale: nextUpdate {nextUpdate:u} has passed ({certStatus.ToString().ToLowerInvariant()})"),
            OcspCertStatus.Unknown => (OcspStapleStatus.Unknown, "the responder does not know the certificate"),
            _ => (OcspStapleStatus.Good, nextUpdate is null ? "good (no nextUpdate)" : $"good until {nextUpdate:u}"),
        };
        if (signature == false)
        {
            message += "; the signature does not verify with the issuer or a delegated responder";
        }

        return new OcspStapleFacts(status, message, statusName, certStatus, producedAt, thisUpdate, nextUpdate, revokedAt, reason,
            serials, true, signature, der);
    }

    /// <summary>Serial equal, issuerNameHash equal to the hash of the leaf's issuer DN, and issuerKeyHash equal when the issuer is known.</summary>
    private static bool IsForLeaf(CertificateID id, ParsedCertificate leaf, ParsedCertificate? issuer)
    {
        if (!id.SerialNumber.Equals(leaf.Bc.SerialNumber))
        {
            return false;
        }

        var hashOid = id.HashAlgOid;
        var nameHash = DigestUtilities.CalculateDigest(hashOid, leaf.Bc.IssuerDN.GetEncoded());
        if (!nameHash.AsSpan().SequenceEqual(id.GetIssuerNameHash()))
        {
            return false;
        }

        if (issuer is null)
        {
            return true;
        }

        // RFC 6960 §4.1.1: issuerKeyHash is the hash of the issuer's subjectPublicKey BIT STRING value (no tag, length or unused-bits byte).
        var key = SubjectPublicKeyInfo.GetInstance(issuer.SpkiDer).PublicKey.GetBytes();
        return DigestUtilities.CalculateDigest(hashOid, key).AsSpan().SequenceEqual(id.GetIssuerKeyHash());
    }

    private static (OcspCertStatus Status, DateTimeOffset? RevokedAt, string? Reason) ReadStatus(object? status) => status switch
    {
        null => (OcspCertStatus.Good, null, null), // BouncyCastle: CertificateStatus.Good is null.
        RevokedStatus revoked => (OcspCertStatus.Revoked, Utc(revoked.RevocationTime),
            revoked.HasRevocationReason ? ReasonName(revoked.RevocationReason) : null),
        _ => (OcspCertStatus.Unknown, null, null),
    };

    private static string ReasonName(int reason) => reason switch
    {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => $"reason {reason}",
    };

    /// <summary>RFC 6960 §4.2.2.2: signed by the issuer itself or by a responder certificate the issuer signed for id-kp-OCSPSigning.</summary>
    private static bool? VerifySignature(BasicOcspResp basic, ParsedCertificate? issuer)
    {
        if (issuer is null || !issuer.KeySafeToVerify)
        {
            return null;
        }

        if (Verifies(basic, issuer.Bc))
        {
            return true;
        }

        foreach (var responder in basic.GetCerts().Take(MaxEntries))
        {
            if (CertificateParser.TryParseCertificate(responder.GetEncoded(), out var parsed, out _) && parsed is not null
                && parsed.KeySafeToVerify && parsed.Facts.ExtendedKeyUsage.Contains("OCSPSigning", StringComparer.OrdinalIgnoreCase)
                && parsed.IsSignedBy(issuer) && Verifies(basic, parsed.Bc))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Verifies(BasicOcspResp basic, BcCertificate signer)
    {
        try
        {
            return basic.Verify(VerificationKeys.Of(signer));
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static byte[]? Evidence(ReadOnlySpan<byte> response) => response.Length is > 0 and <= MaxResponseBytes ? response.ToArray() : null;

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
