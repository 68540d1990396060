namespace XmppScanCluster.ScanNode.Tests.Tls;

/// <summary>Annotated wire fixtures: every field commented with its struct member (RFC section in the parser).</summary>
internal static class Fixtures
{
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>A 32-byte random whose bytes are 0x01..0x20 (no sentinel, not the HRR value).</summary>
    public static byte[] PlainRandom => Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>Handshake header: msg_type(1) + uint24 length.</summary>
    public static byte[] Handshake(byte type, byte[] body) =>
        Concat([type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length], body);

    /// <summary>Record header: type(1) version(2) length(2).</summary>
    public static byte[] Record(byte type, ushort version, byte[] fragment) =>
        Concat([type, (byte)(version >> 8), (byte)version, (byte)(fragment.Length >> 8), (byte)fragment.Length], fragment);

    /// <summary>TLS 1.2 ServerHello body choosing ECDHE-RSA-AES128-GCM-SHA256 with six extensions.</summary>
    public static byte[] Tls12ServerHelloBody => Concat(
        [0x03, 0x03],                         // legacy_version TLS 1.2
        PlainRandom,                          // random[32]
        [0x04, 0xAA, 0xBB, 0xCC, 0xDD],       // session_id<0..32>: 4 bytes
        [0xC0, 0x2F],                         // cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        [0x00],                               // compression_method null
        [0x00, 0x2A],                         // extensions<..>: 42 bytes
        [0xFF, 0x01, 0x00, 0x01, 0x00],       //   renegotiation_info, len 1, renegotiated_connection<0>
        [0x00, 0x17, 0x00, 0x00],             //   extended_master_secret, len 0
        [0x00, 0x0B, 0x00, 0x02, 0x01, 0x00], //   ec_point_formats, len 2, list<1>: uncompressed
        [0x00, 0x05, 0x00, 0x00],             //   status_request, len 0
        [0x00, 0x0F, 0x00, 0x01, 0x01],       //   heartbeat, len 1, peer_allowed_to_send
        [0x00, 0x10, 0x00, 0x0E,              //   ALPN, len 14
         0x00, 0x0C,                          //     ProtocolNameList<2..2^16-1>: 12 bytes
         0x0B],                               //       ProtocolName<1..2^8-1>: 11 bytes
        "xmpp-client"u8.ToArray());           //       "xmpp-client" (XEP-0368)

    /// <summary>TLS 1.3 ServerHello body: supported_versions 0x0304, key_share x25519.</summary>
    public static byte[] Tls13ServerHelloBody => Concat(
        [0x03, 0x03],                         // legacy_version 0x0303 (RFC 8446 §4.1.3)
        PlainRandom,                          // random[32]
        [0x20], Repeat(0x5A, 32),             // legacy_session_id_echo<0..32>: 32 bytes
        [0x13, 0x02],                         // cipher_suite TLS_AES_256_GCM_SHA384
        [0x00],                               // legacy_compression_method
        [0x00, 0x2E],                         // extensions: 46 bytes
        [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04], //   supported_versions, len 2, selected_version TLS 1.3
        [0x00, 0x33, 0x00, 0x24,              //   key_share, len 36
         0x00, 0x1D,                          //     group x25519
         0x00, 0x20], Repeat(0x77, 32));      //     key_exchange<1..2^16-1>: 32 bytes

    /// <summary>HelloRetryRequest body: selected_group secp256r1 and a cookie.</summary>
    public static byte[] HelloRetryRequestBody => Concat(
        [0x03, 0x03],                         // legacy_version
        [0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
         0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C], // random = SHA-256("HelloRetryRequest")
        [0x00],                               // legacy_session_id_echo: empty
        [0x13, 0x01],                         // cipher_suite TLS_AES_128_GCM_SHA256
        [0x00],                               // legacy_compression_method
        [0x00, 0x14],                         // extensions: 20 bytes
        [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04], //   supported_versions: TLS 1.3
        [0x00, 0x33, 0x00, 0x02, 0x00, 0x17], //   key_share (HRR form): selected_group secp256r1
        [0x00, 0x2C, 0x00, 0x04, 0x00, 0x02, 0xC0, 0x0C]); // cookie, len 4, cookie<1..2^16-1>: 2 bytes

    /// <summary>TLS 1.2 ServerHello whose random ends in the TLS 1.2 downgrade sentinel, no extensions block.</summary>
    public static byte[] DowngradeServerHelloBody => Concat(
        [0x03, 0x03],                         // legacy_version TLS 1.2
        PlainRandom[..24], "DOWNGRD\u0001"u8.ToArray(), // random: 24 bytes + 44 4F 57 4E 47 52 44 01
        [0x00],                               // session_id: empty
        [0x00, 0x9C],                         // cipher_suite TLS_RSA_WITH_AES_128_GCM_SHA256
        [0x00]);                              // compression_method; no extensions block at all

    /// <summary>Certificate body with two fake DER blobs (3 and 2 bytes).</summary>
    public static byte[] CertificateBody => Concat(
        [0x00, 0x00, 0x0B],                   // certificate_list<0..2^24-1>: 11 bytes
        [0x00, 0x00, 0x03, 0x30, 0x01, 0x00], //   ASN.1Cert<1..2^24-1>: 3 bytes (leaf)
        [0x00, 0x00, 0x02, 0x30, 0x00]);      //   ASN.1Cert: 2 bytes (intermediate)

    /// <summary>ECDHE ServerKeyExchange, TLS 1.2: secp256r1, 65-byte point, rsa_pss_rsae_sha256 signature.</summary>
    public static byte[] EcdheSkeBody => Concat(
        [0x03],                               // curve_type named_curve
        [0x00, 0x17],                         // namedcurve secp256r1
        [0x41, 0x04], Repeat(0x11, 64),       // point<1..2^8-1>: 65 bytes, uncompressed
        [0x08, 0x04],                         // SignatureAndHashAlgorithm rsa_pss_rsae_sha256
        [0x00, 0x08], Repeat(0x99, 8));       // signature<0..2^16-1>: 8 bytes

    /// <summary>DHE ServerKeyExchange, TLS 1.0 (no algorithm field): p 2 bytes (0x00 0xFB = 8 bits), g 2, Ys 2.</summary>
    public static byte[] DheTls10SkeBody => Concat(
        [0x00, 0x02, 0x00, 0xFB],             // dh_p<1..2^16-1>: 2 bytes, leading zero
        [0x00, 0x01, 0x02],                   // dh_g: 1 byte, 2
        [0x00, 0x02, 0x12, 0x34],             // dh_Ys: 2 bytes
        [0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF]); // signature<0..2^16-1> (no SignatureAndHashAlgorithm before TLS 1.2)

    /// <summary>CertificateStatus: ocsp, 3-byte response.</summary>
    public static byte[] CertificateStatusBody => Concat(
        [0x01],                               // status_type ocsp
        [0x00, 0x00, 0x03, 0x30, 0x01, 0x0A]); // OCSPResponse<1..2^24-1>: 3 bytes

    /// <summary>A whole TLS 1.2 first flight in two records; Certificate is split across them.</summary>
    public static byte[] Tls12Flight()
    {
        var sh = Handshake(2, Tls12ServerHelloBody);
        var cert = Handshake(11, CertificateBody);
        var ske = Handshake(12, EcdheSkeBody);
        var status = Handshake(22, CertificateStatusBody);
        var done = Handshake(14, []);
        var all = Concat(sh, cert, status, ske, done);
        var split = sh.Length + 5;            // the first record ends inside Certificate
        return Concat(Record(22, 0x0303, all[..split]), Record(22, 0x0303, all[split..]));
    }

    /// <summary>Fatal handshake_failure alert record.</summary>
    public static byte[] AlertRecord => Record(21, 0x0303, [0x02, 0x28]); // level fatal, description handshake_failure(40)

    /// <summary>SSLv2 SERVER-HELLO with a 4-byte "certificate", two cipher kinds and a 16-byte connection id.</summary>
    public static byte[] Ssl2ServerHello => Concat(
        [0x80, 0x25],                         // 2-byte header: bit 15 set, length 37
        [0x04],                               // MSG-SERVER-HELLO
        [0x00],                               // SESSION-ID-HIT no
        [0x01],                               // CERTIFICATE-TYPE SSL_CT_X509_CERTIFICATE
        [0x00, 0x02],                         // SERVER-VERSION 2
        [0x00, 0x04],                         // CERTIFICATE-LENGTH 4
        [0x00, 0x06],                         // CIPHER-SPECS-LENGTH 6
        [0x00, 0x10],                         // CONNECTION-ID-LENGTH 16
        [0x30, 0x02, 0x05, 0x00],             // CERTIFICATE-DATA
        [0x01, 0x00, 0x80, 0x02, 0x00, 0x80], // CIPHER-SPECS: RC4_128_WITH_MD5, RC4_128_EXPORT40_WITH_MD5
        Repeat(0xC1, 16));                    // CONNECTION-ID-DATA
}
