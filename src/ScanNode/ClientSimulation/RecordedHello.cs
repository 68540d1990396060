using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.ClientSimulation;

/// <summary>
/// A recorded ClientHello taken apart: the hello as a <see cref="ClientHelloProfile"/> (so it is written again
/// by <see cref="ClientHelloBuilder"/> with back-filled lengths) plus what the client offered, which decides
/// whether it would accept the server's choice.
/// </summary>
/// <param name="Profile">Every field as recorded; extensions in wire order with their data untouched.</param>
/// <param name="HandshakeLength">The recorded handshake message length (header included), the padding target.</param>
/// <param name="ServerName">The recorded SNI host_name, if the client sent one.</param>
/// <param name="SupportedVersions">supported_versions (RFC 8446 §4.2.1), empty if not sent.</param>
/// <param name="SupportedGroups">supported_groups (RFC 8446 §4.2.7), empty if not sent.</param>
/// <param name="SignatureAlgorithms">signature_algorithms (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3), empty if not sent.</param>
public sealed record RecordedHello(
    ClientHelloProfile Profile,
    int HandshakeLength,
    string? ServerName,
    ImmutableArray<ushort> SupportedVersions,
    ImmutableArray<ushort> SupportedGroups,
    ImmutableArray<ushort> SignatureAlgorithms)
{
    /// <summary>True if the client would accept <paramref name="version"/>.</summary>
    public bool Offers(TlsVersion version) => SupportedVersions.IsEmpty
        ? version != TlsVersion.Tls13 && (ushort)version <= (ushort)Profile.ClientVersion
        : SupportedVersions.Contains((ushort)version);
}

/// <summary>
/// Reads recorded ClientHello records (captured or published data: treated as untrusted, never throws).
/// <code>
/// TLSPlaintext { ContentType type = handshake(22); ProtocolVersion version; uint16 length; opaque fragment; }  RFC 5246 §6.2.1
/// Handshake { HandshakeType msg_type = client_hello(1); uint24 length; ClientHello body; }                     RFC 5246 §7.4
/// ClientHello { version(2) random(32) session_id&lt;0..32&gt; cipher_suites&lt;2..2^16-2&gt;
///               compression_methods&lt;1..2^8-1&gt; [extensions&lt;0..2^16-1&gt;] }                                RFC 5246 §7.4.1.2
/// </code>
/// SSLv2-compatible hellos (RFC 5246 §E.2) are not replayed: no profile here uses one.
/// </summary>
public static class RecordedHelloParser
{
    /// <summary>A recorded hello larger than this is refused (real hellos are under 2 KiB; post-quantum ones under 8 KiB).</summary>
    public const int MaxHelloBytes = 64 * 1024;

    private const int RecordHeader = 5;
    private const int RandomLength = 32;

    public static ParseResult<RecordedHello> Parse(ReadOnlySpan<byte> records)
    {
        if (records.Length > MaxHelloBytes)
        {
            return ParseResult<RecordedHello>.Fail("recorded hello too large");
        }

        if (!records.IsEmpty && (records[0] & 0x80) != 0)
        {
            return ParseResult<RecordedHello>.Fail("SSLv2-compatible hello is not replayed");
        }

        var message = new List<byte>(records.Length);
        ushort recordVersion = 0;
        var r = new TlsSpanReader(records);
        while (!r.IsEmpty)
        {
            if (!r.TryReadUInt8(out var type) || !r.TryReadUInt16(out var version) || !r.TryReadVector16(out var fragment))
            {
                return ParseResult<RecordedHello>.Fail("truncated record");
            }

            if (type != (byte)TlsContentType.Handshake)
            {
                return ParseResult<RecordedHello>.Fail($"record type {type} is not handshake");
            }

            recordVersion = message.Count == 0 ? version : recordVersion;
            message.AddRange(fragment);
        }

        var hs = new TlsSpanReader(message.ToArray());
        if (!hs.TryReadUInt8(out var msgType) || msgType != (byte)TlsHandshakeType.ClientHello)
        {
            return ParseResult<RecordedHello>.Fail("not a ClientHello");
        }

        if (!hs.TryReadVector24(out var body) || !hs.IsEmpty)
        {
            return ParseResult<RecordedHello>.Fail("handshake length does not match the records");
        }

        return ParseBody(body, recordVersion, 4 + body.Length);
    }

    private static ParseResult<RecordedHello> ParseBody(ReadOnlySpan<byte> body, ushort recordVersion, int handshakeLength)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadUInt16(out var clientVersion) || !r.TryReadBytes(RandomLength, out _)
            || !r.TryReadVector8(out var sessionId) || !r.TryReadVector16(out var suiteBytes)
            || !r.TryReadVector8(out var compression))
        {
            return ParseResult<RecordedHello>.Fail("ClientHello truncated");
        }

        if (sessionId.Length > 32 || suiteBytes.Length % 2 != 0 || suiteBytes.IsEmpty || compression.IsEmpty)
        {
            return ParseResult<RecordedHello>.Fail("bad session id, suite list or compression list");
        }

        var suites = ImmutableArray.CreateBuilder<ushort>(suiteBytes.Length / 2);
        var sr = new TlsSpanReader(suiteBytes);
        while (sr.TryReadUInt16(out var s))
        {
            suites.Add(s);
        }

        var profile = new ClientHelloProfile(
            (TlsVersion)recordVersion, (TlsVersion)clientVersion, suites.MoveToImmutable(), [.. compression], [], sessionId.Length);
        if (r.IsEmpty)
        {
            return ParseResult<RecordedHello>.Ok(new RecordedHello(profile, handshakeLength, null, [], [], []));
        }

        if (!r.TryReadVector16(out var extBlock) || !r.IsEmpty)
        {
            return ParseResult<RecordedHello>.Fail("bad extensions block");
        }

        var extensions = ImmutableArray.CreateBuilder<ClientHelloExtension>();
        var er = new TlsSpanReader(extBlock);
        string? serverName = null;
        ImmutableArray<ushort> versions = [], groups = [], signatures = [];
        while (!er.IsEmpty)
        {
            if (!er.TryReadUInt16(out var type) || !er.TryReadVector16(out var data))
            {
                return ParseResult<RecordedHello>.Fail("truncated extension");
            }

            switch (type)
            {
                case TlsExtensionType.ServerName:
                    serverName = ReadHostName(data);
                    break;
                case TlsExtensionType.SupportedVersions:
                    versions = ReadList(data, lengthSize: 1);
                    break;
                case TlsExtensionType.SupportedGroups:
                    groups = ReadList(data, lengthSize: 2);
                    break;
                case TlsExtensionType.SignatureAlgorithms:
                    signatures = ReadList(data, lengthSize: 2);
                    break;
            }

            // RFC 7685 padding is re-sized on the way out so the hello keeps its recorded length.
            extensions.Add(type == TlsExtensionType.Padding
                ? ClientHelloExtension.Padding(handshakeLength)
                : new ClientHelloExtension(type, [.. data]));
        }

        profile = profile with { Extensions = extensions.ToImmutable(), OmitEmptyExtensionsBlock = false };
        return ParseResult<RecordedHello>.Ok(new RecordedHello(profile, handshakeLength, serverName, versions, groups, signatures));
    }

    /// <summary>
    /// <code>struct { NameType name_type; opaque HostName&lt;1..2^16-1&gt;; } ServerName; ServerName server_name_list&lt;1..2^16-1&gt;  RFC 6066 §3</code>
    /// The first host_name (type 0) entry, or null.
    /// </summary>
    private static string? ReadHostName(ReadOnlySpan<byte> data)
    {
        var r = new TlsSpanReader(data);
        if (!r.TryReadVector16(out var list))
        {
            return null;
        }

        var lr = new TlsSpanReader(list);
        while (lr.TryReadUInt8(out var nameType) && lr.TryReadVector16(out var name))
        {
            if (nameType == 0)
            {
                return ServerHelloParser.Printable(name);
            }
        }

        return null;
    }

    /// <summary>A vector of uint16 values with a 1- or 2-byte length; empty when malformed.</summary>
    private static ImmutableArray<ushort> ReadList(ReadOnlySpan<byte> data, int lengthSize)
    {
        var r = new TlsSpanReader(data);
        ReadOnlySpan<byte> list;
        if (!(lengthSize == 1 ? r.TryReadVector8(out list) : r.TryReadVector16(out list)) || list.Length % 2 != 0)
        {
            return [];
        }

        var values = ImmutableArray.CreateBuilder<ushort>(list.Length / 2);
        var lr = new TlsSpanReader(list);
        while (lr.TryReadUInt16(out var v))
        {
            values.Add(v);
        }

        return values.MoveToImmutable();
    }
}
