using System.Collections.Immutable;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>One extension as the server sent it.</summary>
public sealed record TlsExtension(ushort Type, ImmutableArray<byte> Data);

/// <summary>RFC 8446 §4.1.3 downgrade protection: the last 8 bytes of ServerHello.random.</summary>
public enum DowngradeSentinel
{
    None,
    /// <summary><c>44 4F 57 4E 47 52 44 01</c>: a TLS 1.3 server negotiated TLS 1.2.</summary>
    Tls12,
    /// <summary><c>44 4F 57 4E 47 52 44 00</c>: a TLS 1.3 server negotiated TLS 1.1 or below.</summary>
    Tls11OrBelow,
}

/// <summary>
/// A parsed ServerHello (or HelloRetryRequest, which shares its layout, RFC 8446 §4.1.4). Facts only.
/// </summary>
public sealed record ServerHello
{
    /// <summary>legacy_version / server_version.</summary>
    public required ushort LegacyVersion { get; init; }

    public required ImmutableArray<byte> Random { get; init; }

    public required ImmutableArray<byte> SessionId { get; init; }

    public required ushort CipherSuite { get; init; }

    public required byte CompressionMethod { get; init; }

    /// <summary>Extensions in the order sent; empty if the server sent no extensions block.</summary>
    public required ImmutableArray<TlsExtension> Extensions { get; init; }

    /// <summary>True if an extensions block was present (even empty).</summary>
    public bool HasExtensionsBlock { get; init; }

    /// <summary>The random equals SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).</summary>
    public bool IsHelloRetryRequest { get; init; }

    /// <summary>supported_versions selected_version, if sent.</summary>
    public ushort? SelectedVersion { get; init; }

    /// <summary>key_share group: the server's share (ServerHello) or the selected_group (HRR).</summary>
    public ushort? KeyShareGroup { get; init; }

    /// <summary>The server's key_exchange bytes (not in an HRR).</summary>
    public ImmutableArray<byte>? KeyShareKey { get; init; }

    /// <summary>renegotiation_info renegotiated_connection (empty on an initial handshake), if sent.</summary>
    public ImmutableArray<byte>? RenegotiationInfo { get; init; }

    /// <summary>The ALPN protocol selected, if any.</summary>
    public string? AlpnProtocol { get; init; }

    public bool ExtendedMasterSecret { get; init; }

    public bool EncryptThenMac { get; init; }

    /// <summary>status_request echoed (the server will send CertificateStatus).</summary>
    public bool StatusRequest { get; init; }

    public bool SessionTicket { get; init; }

    /// <summary>heartbeat mode (1 peer_allowed_to_send, 2 peer_not_allowed_to_send), if sent.</summary>
    public byte? HeartbeatMode { get; init; }

    /// <summary>ec_point_formats, if sent.</summary>
    public ImmutableArray<byte>? EcPointFormats { get; init; }

    /// <summary>HRR cookie, if sent.</summary>
    public ImmutableArray<byte>? Cookie { get; init; }

    public DowngradeSentinel Downgrade { get; init; }

    /// <summary>The version actually negotiated: selected_version if present, else legacy_version.</summary>
    public ushort NegotiatedVersion => SelectedVersion ?? LegacyVersion;

    /// <summary>The negotiated suite's registry entry, if known.</summary>
    public CipherSuiteInfo? Suite => CipherSuiteRegistry.Find(CipherSuite);

    public bool HasExtension(ushort type)
    {
        foreach (var e in Extensions)
        {
            if (e.Type == type)
            {
                return true;
            }
        }

        return false;
    }
}
