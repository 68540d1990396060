using System.Collections.Immutable;
using System.Text;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// Parses a ServerHello body (after the 4-byte handshake header).
/// <code>
/// struct {                                          RFC 8446 §4.1.3, RFC 5246 §7.4.1.3
///     ProtocolVersion legacy_version;               2
///     Random random;                                32
///     opaque legacy_session_id_echo&lt;0..32&gt;;
///     CipherSuite cipher_suite;                     2
///     uint8 legacy_compression_method;              1
///     Extension extensions&lt;6..2^16-1&gt;;           may be absent before TLS 1.3
/// } ServerHello;
/// struct { ExtensionType extension_type; opaque extension_data&lt;0..2^16-1&gt;; } Extension;
/// </code>
/// </summary>
public static class ServerHelloParser
{
    public const int RandomLength = 32;

    /// <summary>SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.</summary>
    public static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    private static ReadOnlySpan<byte> DowngradePrefix => "DOWNGRD"u8;

    public static ParseResult<ServerHello> Parse(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadUInt16(out var version) || !r.TryReadBytes(RandomLength, out var random)
            || !r.TryReadVector8(out var sessionId) || !r.TryReadUInt16(out var suite) || !r.TryReadUInt8(out var compression))
        {
            return ParseResult<ServerHello>.Fail("ServerHello truncated");
        }

        if (sessionId.Length > 32)
        {
            return ParseResult<ServerHello>.Fail("session id longer than 32 bytes");
        }

        var isHrr = random.SequenceEqual(HelloRetryRequestRandom);
        var hello = new ServerHello
        {
            LegacyVersion = version,
            Random = [.. random],
            SessionId = [.. sessionId],
            CipherSuite = suite,
            CompressionMethod = compression,
            Extensions = [],
            IsHelloRetryRequest = isHrr,
            Downgrade = SentinelOf(random),
        };

        if (r.IsEmpty)
        {
            return ParseResult<ServerHello>.Ok(hello);
        }

        if (!r.TryReadVector16(out var extBlock) || !r.IsEmpty)
        {
            return ParseResult<ServerHello>.Fail("bad extensions block");
        }

        var exts = ImmutableArray.CreateBuilder<TlsExtension>();
        var seen = new HashSet<ushort>();
        var er = new TlsSpanReader(extBlock);
        while (!er.IsEmpty)
        {
            if (!er.TryReadUInt16(out var type) || !er.TryReadVector16(out var data))
            {
                return ParseResult<ServerHello>.Fail("truncated extension");
            }

            if (!seen.Add(type))
            {
                return ParseResult<ServerHello>.Fail($"duplicate extension {type}");
            }

            exts.Add(new TlsExtension(type, [.. data]));
            var error = Apply(ref hello, type, data, isHrr);
            if (error is not null)
            {
                return ParseResult<ServerHello>.Fail(error);
            }
        }

        return ParseResult<ServerHello>.Ok(hello with { Extensions = exts.ToImmutable(), HasExtensionsBlock = true });
    }

    private static string? Apply(ref ServerHello hello, ushort type, ReadOnlySpan<byte> data, bool isHrr)
    {
        var r = new TlsSpanReader(data);
        switch (type)
        {
            case TlsExtensionType.SupportedVersions:
                if (!r.TryReadUInt16(out var selected) || !r.IsEmpty)
                {
                    return "bad supported_versions";
                }

                hello = hello with { SelectedVersion = selected };
                return null;
            case TlsExtensionType.KeyShare:
                if (!r.TryReadUInt16(out var group))
                {
                    return "bad key_share";
                }

                if (isHrr)
                {
                    // RFC 8446 §4.2.8: in an HRR, key_share holds only selected_group.
                    if (!r.IsEmpty)
                    {
                        return "bad HelloRetryRequest key_share";
                    }

                    hello = hello with { KeyShareGroup = group };
                    return null;
                }

                if (!r.TryReadVector16(out var key) || !r.IsEmpty || key.Length == 0)
                {
                    return "bad key_share entry";
                }

                hello = hello with { KeyShareGroup = group, KeyShareKey = [.. key] };
                return null;
            case TlsExtensionType.RenegotiationInfo:
                if (!r.TryReadVector8(out var reneg) || !r.IsEmpty)
                {
                    return "bad renegotiation_info";
                }

                hello = hello with { RenegotiationInfo = [.. reneg] };
                return null;
            case TlsExtensionType.Alpn:
                // RFC 7301 §3.1: the server's ProtocolNameList holds exactly one name.
                if (!r.TryReadVector16(out var list) || !r.IsEmpty)
                {
                    return "bad ALPN";
                }

                var lr = new TlsSpanReader(list);
                if (!lr.TryReadVector8(out var name) || name.Length == 0 || !lr.IsEmpty)
                {
                    return "ALPN must name exactly one protocol";
                }

                hello = hello with { AlpnProtocol = Printable(name) };
                return null;
            case TlsExtensionType.ExtendedMasterSecret:
                hello = hello with { ExtendedMasterSecret = true };
                return data.IsEmpty ? null : "extended_master_secret not empty";
            case TlsExtensionType.EncryptThenMac:
                hello = hello with { EncryptThenMac = true };
                return data.IsEmpty ? null : "encrypt_then_mac not empty";
            case TlsExtensionType.StatusRequest:
                hello = hello with { StatusRequest = true };
                return null;
            case TlsExtensionType.SessionTicket:
                hello = hello with { SessionTicket = true };
                return null;
            case TlsExtensionType.Heartbeat:
                if (!r.TryReadUInt8(out var mode) || !r.IsEmpty)
                {
                    return "bad heartbeat";
                }

                hello = hello with { HeartbeatMode = mode };
                return null;
            case TlsExtensionType.EcPointFormats:
                if (!r.TryReadVector8(out var formats) || !r.IsEmpty)
                {
                    return "bad ec_point_formats";
                }

                hello = hello with { EcPointFormats = [.. formats] };
                return null;
            case TlsExtensionType.Cookie:
                if (!r.TryReadVector16(out var cookie) || !r.IsEmpty)
                {
                    return "bad cookie";
                }

                hello = hello with { Cookie = [.. cookie] };
                return null;
            default:
                return null;
        }
    }

    private static DowngradeSentinel SentinelOf(ReadOnlySpan<byte> random)
    {
        var tail = random[^8..];
        if (!tail[..7].SequenceEqual(DowngradePrefix))
        {
            return DowngradeSentinel.None;
        }

        return tail[7] switch
        {
            1 => DowngradeSentinel.Tls12,
            0 => DowngradeSentinel.Tls11OrBelow,
            _ => DowngradeSentinel.None,
        };
    }

    /// <summary>Server text is untrusted: keep printable ASCII, replace the rest.</summary>
    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return sb.ToString();
    }
}
