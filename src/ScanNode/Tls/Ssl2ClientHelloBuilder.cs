using System.Security.Cryptography;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// The SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00 §"Client Only Protocol Messages"), also usable as
/// the SSLv2-compatible hello of SSLv3/TLS (RFC 5246 §E.2) by passing a 0x03xx version.
/// <code>
/// 2-byte record header: 0x80 | len_hi, len_lo       (no padding form)
/// char MSG-CLIENT-HELLO                            1
/// char CLIENT-VERSION-MSB, -LSB                    0x00 0x02
/// char CIPHER-SPECS-LENGTH-MSB, -LSB               multiple of 3
/// char SESSION-ID-LENGTH-MSB, -LSB                 0 or 16
/// char CHALLENGE-LENGTH-MSB, -LSB                  16..32
/// char CIPHER-SPECS-DATA[]                         3 bytes each
/// char SESSION-ID-DATA[]
/// char CHALLENGE-DATA[]
/// </code>
/// </summary>
public static class Ssl2ClientHelloBuilder
{
    public const byte MsgClientHello = 1;

    /// <summary>Builds the record. <paramref name="cipherSpecs"/> are 24-bit codes (TLS suites as 0x00XXXX).</summary>
    public static byte[] Build(IEnumerable<int> cipherSpecs, ushort version = 0x0002, byte[]? challenge = null)
    {
        challenge ??= RandomNumberGenerator.GetBytes(16);
        if (challenge.Length is < 16 or > 32)
        {
            throw new ArgumentException("SSLv2 challenge is 16..32 bytes.", nameof(challenge));
        }

        var specs = cipherSpecs.ToArray();
        var body = new TlsWriter(9 + (3 * specs.Length) + challenge.Length);
        body.WriteUInt8(MsgClientHello);
        body.WriteUInt16(version);
        body.WriteUInt16((ushort)(3 * specs.Length));
        body.WriteUInt16(0);
        body.WriteUInt16((ushort)challenge.Length);
        foreach (var s in specs)
        {
            body.WriteUInt24(s);
        }

        body.WriteBytes(challenge);
        if (body.Length > 0x7FFF)
        {
            throw new ArgumentException("SSLv2 record too long.", nameof(cipherSpecs));
        }

        var w = new TlsWriter(body.Length + 2);
        w.WriteUInt16((ushort)(0x8000 | body.Length));
        w.WriteBytes(body.WrittenSpan);
        return w.ToArray();
    }
}
