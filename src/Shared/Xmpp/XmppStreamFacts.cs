namespace XmppScanCluster.Shared.Xmpp;

/// <summary>
/// What an XMPP server revealed on one connection, before and after TLS. Facts only, no judgement; a field is
/// null when the connection never got that far (or, for direct TLS, when it does not apply).
/// </summary>
/// <param name="StreamId">The <c>id</c> of the server's (first) stream header.</param>
/// <param name="From">The <c>from</c> of the server's (first) stream header.</param>
/// <param name="Version">The <c>version</c> of the server's (first) stream header; null for pre-RFC 3920 servers.</param>
/// <param name="PreTlsFeatures">Features in the clear (STARTTLS only).</param>
/// <param name="PostTlsFeatures">Features on the stream over TLS (the restarted stream, or the first one for direct TLS).</param>
/// <param name="StreamError">The stream error that ended the conversation, if any.</param>
/// <param name="StreamRestartAfterTlsWorked">STARTTLS only: a new stream header and features were read over TLS.</param>
/// <param name="PeerCertificateRequired">s2s only: after TLS the server closed with <c>not-authorized</c> or
/// <c>policy-violation</c>, i.e. it wants a certificate from us (RFC 6120 §13.7.2, XEP-0178).</param>
public sealed record XmppStreamFacts(
    string? StreamId,
    string? From,
    string? Version,
    XmppFeatures? PreTlsFeatures,
    XmppFeatures? PostTlsFeatures,
    StreamErrorInfo? StreamError,
    bool? StreamRestartAfterTlsWorked,
    bool? PeerCertificateRequired)
{
    /// <summary>Nothing learned (direct TLS before the handshake, or a failed connect).</summary>
    public static XmppStreamFacts Empty { get; } = new(null, null, null, null, null, null, null, null);
}
