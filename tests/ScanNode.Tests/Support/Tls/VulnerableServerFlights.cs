using XmppScanCluster.ScanNode.Tests.Tls;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// First flights and answers for the fake server when it plays a vulnerable (pre-2015) server: no
/// renegotiation_info, DEFLATE compression, a heartbeat over-read, an early ChangeCipherSpec accepted, a
/// fallback accepted. Every field annotated; suite TLS_RSA_WITH_AES_128_CBC_SHA so that no ServerKeyExchange
/// is needed.
/// </summary>
internal static class VulnerableServerFlights
{
    /// <summary>renegotiation_info, len 1, renegotiated_connection&lt;0..255&gt;: empty (RFC 5746 §3.2).</summary>
    public static byte[] RenegotiationInfoExtension => [0xFF, 0x01, 0x00, 0x01, 0x00];

    /// <summary>heartbeat, len 1, mode peer_allowed_to_send (RFC 6520 §2).</summary>
    public static byte[] HeartbeatExtension => [0x00, 0x0F, 0x00, 0x01, 0x01];

    /// <summary>session_ticket, len 0 (RFC 5077 §3.2: a NewSessionTicket will follow).</summary>
    public static byte[] SessionTicketExtension => [0x00, 0x23, 0x00, 0x00];

    /// <summary>A ServerHello body.</summary>
    public static byte[] ServerHelloBody(ushort version, byte compression = 0, byte[]? sessionId = null, params byte[][] extensions)
    {
        sessionId ??= [];
        var ext = Fixtures.Concat(extensions);
        return Fixtures.Concat(
            [(byte)(version >> 8), (byte)version],          // server_version
            Fixtures.PlainRandom,                           // random[32]
            [(byte)sessionId.Length], sessionId,            // session_id<0..32>
            [0x00, 0x2F],                                   // cipher_suite TLS_RSA_WITH_AES_128_CBC_SHA
            [compression],                                  // compression_method
            extensions.Length == 0 ? [] : Fixtures.Concat(  // extensions<0..2^16-1>, only if any
                [(byte)(ext.Length >> 8), (byte)ext.Length], ext));
    }

    /// <summary>ServerHello, Certificate, ServerHelloDone in one handshake record.</summary>
    public static byte[] Flight(ushort version, byte[] serverHelloBody) => Fixtures.Record(22, version, Fixtures.Concat(
        Fixtures.Handshake(2, serverHelloBody),
        Fixtures.Handshake(11, Fixtures.CertificateBody),
        Fixtures.Handshake(14, [])));

    /// <summary>
    /// What OpenSSL 1.0.1f did with a heartbeat_request (ssl/d1_both.c, t1_lib.c tls1_process_heartbeat): trust
    /// payload_length and copy that many bytes from where the payload starts — here past our payload into the
    /// request's own padding — then add 16 bytes of padding.
    /// </summary>
    public static byte[] OverReadingHeartbeatResponse(ushort version, byte[] request)
    {
        var claimed = (request[1] << 8) | request[2];
        var copied = request.AsSpan(3, Math.Min(claimed, request.Length - 3)).ToArray();
        return Fixtures.Record(24, version, Fixtures.Concat(
            [0x02],                                         // heartbeat_response
            [(byte)(claimed >> 8), (byte)claimed],          // payload_length as claimed
            copied,                                         // "payload": ours plus our padding
            Fixtures.Repeat(0xEE, 16)));                    // padding[16]
    }

    /// <summary>A fatal alert record.</summary>
    public static byte[] Alert(ushort version, byte description) => Fixtures.Record(21, version, [0x02, description]);
}
