using System.Collections.Immutable;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>A parsed SSL 2.0 SERVER-HELLO, or an SSL 2.0 ERROR message.</summary>
public sealed record Ssl2ServerHello
{
    /// <summary>True if the server sent MSG-ERROR (0) instead; then only <see cref="ErrorCode"/> is set.</summary>
    public bool IsError { get; init; }

    /// <summary>MSG-ERROR code: 1 NO-CIPHER, 2 NO-CERTIFICATE, 4 BAD-CERTIFICATE, 6 UNSUPPORTED-CERTIFICATE-TYPE.</summary>
    public ushort ErrorCode { get; init; }

    public bool SessionIdHit { get; init; }

    /// <summary>1 = SSL_CT_X509_CERTIFICATE.</summary>
    public byte CertificateType { get; init; }

    public ushort ServerVersion { get; init; }

    public ImmutableArray<byte> Certificate { get; init; } = [];

    /// <summary>24-bit cipher kinds the server supports (of those offered, or all: servers differ).</summary>
    public ImmutableArray<int> CipherSpecs { get; init; } = [];

    public ImmutableArray<byte> ConnectionId { get; init; } = [];
}

/// <summary>
/// Parses an SSL 2.0 record holding SERVER-HELLO (draft-hickman-netscape-ssl-00):
/// <code>
/// record header: 2 bytes (bit 15 set, 15-bit length) or 3 bytes (14-bit length, then padding length)
/// char MSG-SERVER-HELLO                      4
/// char SESSION-ID-HIT                        0/1
/// char CERTIFICATE-TYPE
/// char SERVER-VERSION-MSB, -LSB
/// char CERTIFICATE-LENGTH-MSB, -LSB
/// char CIPHER-SPECS-LENGTH-MSB, -LSB         multiple of 3
/// char CONNECTION-ID-LENGTH-MSB, -LSB        16..32
/// char CERTIFICATE-DATA[], CIPHER-SPECS-DATA[], CONNECTION-ID-DATA[]
/// MSG-ERROR: char MSG-ERROR (0); char ERROR-CODE-MSB, -LSB
/// </code>
/// Fed the stream's first bytes: NeedMoreData until the whole record is there.
/// </summary>
public static class Ssl2ServerHelloParser
{
    public const byte MsgError = 0;
    public const byte MsgServerHello = 4;

    public static ParseResult<Ssl2ServerHello> Parse(ReadOnlySpan<byte> data, int maxRecordBytes, out int consumed)
    {
        consumed = 0;
        if (data.Length < 2)
        {
            return data.Length == 1 && (data[0] & 0x80) == 0 && data[0] is >= 20 and <= 24
                ? ParseResult<Ssl2ServerHello>.Fail("a TLS record, not SSLv2")
                : ParseResult<Ssl2ServerHello>.More;
        }

        int headerLength, length, padding = 0;
        if ((data[0] & 0x80) != 0)
        {
            headerLength = 2;
            length = ((data[0] & 0x7F) << 8) | data[1];
        }
        else
        {
            if (data[0] is >= 20 and <= 24 && data[1] == 3)
            {
                return ParseResult<Ssl2ServerHello>.Fail("a TLS record, not SSLv2");
            }

            if (data.Length < 3)
            {
                return ParseResult<Ssl2ServerHello>.More;
            }

            headerLength = 3;
            length = ((data[0] & 0x3F) << 8) | data[1];
            padding = data[2];
        }

        if (length > maxRecordBytes || length == 0 || padding > length)
        {
            return ParseResult<Ssl2ServerHello>.Fail($"bad SSLv2 record length {length}");
        }

        if (data.Length < headerLength + length)
        {
            return ParseResult<Ssl2ServerHello>.More;
        }

        consumed = headerLength + length;
        var r = new TlsSpanReader(data.Slice(headerLength, length - padding));
        r.TryReadUInt8(out var msg);
        if (msg == MsgError)
        {
            return r.TryReadUInt16(out var code) && r.IsEmpty
                ? ParseResult<Ssl2ServerHello>.Ok(new Ssl2ServerHello { IsError = true, ErrorCode = code })
                : ParseResult<Ssl2ServerHello>.Fail("bad SSLv2 error message");
        }

        if (msg != MsgServerHello)
        {
            return ParseResult<Ssl2ServerHello>.Fail($"SSLv2 message {msg} is not SERVER-HELLO");
        }

        if (!r.TryReadUInt8(out var hit) || !r.TryReadUInt8(out var certType) || !r.TryReadUInt16(out var version)
            || !r.TryReadUInt16(out var certLength) || !r.TryReadUInt16(out var specsLength) || !r.TryReadUInt16(out var connIdLength))
        {
            return ParseResult<Ssl2ServerHello>.Fail("SSLv2 SERVER-HELLO truncated");
        }

        if (specsLength % 3 != 0 || connIdLength is < 16 or > 32)
        {
            return ParseResult<Ssl2ServerHello>.Fail("bad SSLv2 SERVER-HELLO lengths");
        }

        if (!r.TryReadBytes(certLength, out var cert) || !r.TryReadBytes(specsLength, out var specs)
            || !r.TryReadBytes(connIdLength, out var connId) || !r.IsEmpty)
        {
            return ParseResult<Ssl2ServerHello>.Fail("SSLv2 SERVER-HELLO lengths do not match the record");
        }

        var list = ImmutableArray.CreateBuilder<int>(specs.Length / 3);
        for (var i = 0; i < specs.Length; i += 3)
        {
            list.Add((specs[i] << 16) | (specs[i + 1] << 8) | specs[i + 2]);
        }

        return ParseResult<Ssl2ServerHello>.Ok(new Ssl2ServerHello
        {
            SessionIdHit = hit != 0,
            CertificateType = certType,
            ServerVersion = version,
            Certificate = [.. cert],
            CipherSpecs = list.MoveToImmutable(),
            ConnectionId = [.. connId],
        });
    }
}
