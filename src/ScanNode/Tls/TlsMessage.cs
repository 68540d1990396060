namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// One unit the reassembler hands out: a whole handshake message (reassembled across records and reads),
/// or the payload of one non-handshake record (alert, change_cipher_spec, application_data, heartbeat).
/// </summary>
/// <param name="ContentType">The record type it came in.</param>
/// <param name="RecordVersion">The version of the (first) record carrying it.</param>
/// <param name="HandshakeType">For handshake messages, msg_type; otherwise null.</param>
/// <param name="Raw">Handshake: msg_type, 3-byte length and body (the evidence to store). Others: the record payload.</param>
public sealed record TlsMessage(TlsContentType ContentType, ushort RecordVersion, TlsHandshakeType? HandshakeType, byte[] Raw)
{
    /// <summary>The handshake body (without the 4-byte header), or the whole payload for other records.</summary>
    public ReadOnlySpan<byte> Body => HandshakeType is null ? Raw : Raw.AsSpan(4);
}
