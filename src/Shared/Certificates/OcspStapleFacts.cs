namespace XmppScanCluster.Shared.Certificates;

/// <summary>What a stapled OCSP response (RFC 6066 §8, RFC 6960) says, classified by what matters most.</summary>
public enum OcspStapleStatus
{
    /// <summary>No TLS ≤ 1.2 handshake reached the server's first flight (TLS 1.3 staples are encrypted), so stapling is unknown.</summary>
    NotChecked,

    /// <summary>status_request was offered and the server sent no CertificateStatus message.</summary>
    NotStapled,

    /// <summary>A fresh response for the leaf says good.</summary>
    Good,

    /// <summary>The response for the leaf says revoked (whatever its freshness).</summary>
    Revoked,

    /// <summary>The response for the leaf says unknown (the responder does not know the certificate).</summary>
    Unknown,

    /// <summary>The response for the leaf is past its nextUpdate.</summary>
    Expired,

    /// <summary>The response's thisUpdate is in the future.</summary>
    NotYetValid,

    /// <summary>The response has no SingleResponse for the leaf (another serial or issuer).</summary>
    WrongCertificate,

    /// <summary>responseStatus is not successful (malformedRequest, internalError, tryLater, sigRequired, unauthorized).</summary>
    ResponderError,

    /// <summary>The bytes are not an OCSP response this scanner can read.</summary>
    Unparseable,
}

/// <summary>certStatus of a SingleResponse (RFC 6960 §4.2.1).</summary>
public enum OcspCertStatus
{
    Good,
    Revoked,
    Unknown,
}

/// <summary>
/// Facts read from a stapled OCSP response, never fetched from anywhere. Times are UTC; freshness is judged at the
/// scan time. The staple's DER is kept as evidence so the facts can be re-derived after a parser fix.
/// </summary>
/// <param name="Status">The classification.</param>
/// <param name="Message">One line for people.</param>
/// <param name="ResponseStatus">OCSPResponseStatus name (successful, tryLater…), null if unparseable.</param>
/// <param name="CertStatus">certStatus of the SingleResponse for the leaf.</param>
/// <param name="ProducedAt">producedAt of the BasicOCSPResponse.</param>
/// <param name="ThisUpdate">thisUpdate of the SingleResponse for the leaf (or the first one).</param>
/// <param name="NextUpdate">nextUpdate, when present.</param>
/// <param name="RevokedAt">revocationTime when revoked.</param>
/// <param name="RevocationReason">CRLReason name when given.</param>
/// <param name="Serials">Serial numbers (lower-case hex) the response speaks about.</param>
/// <param name="ForLeaf">A SingleResponse names the leaf's serial and issuer name hash (and key hash when the issuer is known).</param>
/// <param name="SignatureValid">The signature verifies with the issuer's key or a delegated responder certificate the issuer signed
/// (RFC 6960 §4.2.2.2); null when the issuer is not known.</param>
/// <param name="Der">The response as sent (at most 64 KiB).</param>
public sealed record OcspStapleFacts(
    OcspStapleStatus Status,
    string Message,
    string? ResponseStatus = null,
    OcspCertStatus? CertStatus = null,
    DateTimeOffset? ProducedAt = null,
    DateTimeOffset? ThisUpdate = null,
    DateTimeOffset? NextUpdate = null,
    DateTimeOffset? RevokedAt = null,
    string? RevocationReason = null,
    IReadOnlyList<string>? Serials = null,
    bool? ForLeaf = null,
    bool? SignatureValid = null,
    byte[]? Der = null);
