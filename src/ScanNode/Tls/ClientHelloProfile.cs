using System.Collections.Immutable;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// Everything a ClientHello says, as data (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2). Probes derive variants with
/// <c>with</c>: another suite list, another version, one extension fewer.
/// </summary>
/// <param name="RecordVersion">The record layer version (TLS 1.3 clients write 0x0301, RFC 8446 §5.1).</param>
/// <param name="ClientVersion">legacy_version / client_version (0x0303 for TLS 1.3, RFC 8446 §4.1.2).</param>
/// <param name="CipherSuites">Offered suites, in preference order; may contain SCSVs and GREASE.</param>
/// <param name="CompressionMethods">Usually just null (0).</param>
/// <param name="Extensions">In wire order. Empty for SSLv3 (no extensions block at all).</param>
/// <param name="SessionIdLength">Bytes of random legacy_session_id (32 for TLS 1.3 middlebox compatibility).</param>
public sealed record ClientHelloProfile(
    TlsVersion RecordVersion,
    TlsVersion ClientVersion,
    ImmutableArray<ushort> CipherSuites,
    ImmutableArray<byte> CompressionMethods,
    ImmutableArray<ClientHelloExtension> Extensions,
    int SessionIdLength = 0)
{
    /// <summary>Write an extensions block even when <see cref="Extensions"/> is empty (an empty block is legal in TLS).</summary>
    public bool OmitEmptyExtensionsBlock { get; init; } = true;

    /// <summary>Fixed client random for reproducible tests; null = fresh random bytes.</summary>
    public ImmutableArray<byte>? FixedRandom { get; init; }
}

/// <summary>Ready-made profiles (the data a probe starts from).</summary>
public static class ClientHelloProfiles
{
    /// <summary>Groups offered in supported_groups by default: modern first, then the legacy NIST/brainpool curves.</summary>
    public static ImmutableArray<ushort> DefaultGroups { get; } =
    [
        NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.Secp384r1, NamedGroups.Secp521r1, NamedGroups.X448,
        26, 27, 28, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
        NamedGroups.Ffdhe2048, NamedGroups.Ffdhe3072, 0x0102, 0x0103, 0x0104,
    ];

    /// <summary>Signature algorithms offered by default: TLS 1.3 schemes and every TLS 1.2 pair servers use.</summary>
    public static ImmutableArray<ushort> DefaultSignatureAlgorithms { get; } =
    [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x081A, 0x081B, 0x081C,
        0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
        0x0203, 0x0201, 0x0202,
    ];

    /// <summary>The key shares sent in a TLS 1.3 ClientHello by default.</summary>
    public static ImmutableArray<ushort> DefaultKeyShareGroups { get; } = [NamedGroups.X25519, NamedGroups.Secp256r1];

    /// <summary>An SSLv3 ClientHello (RFC 6101 §5.6.1.2): no extensions.</summary>
    public static ClientHelloProfile Ssl3(IEnumerable<ushort> suites) =>
        new(TlsVersion.Ssl3, TlsVersion.Ssl3, [.. suites], [0], []);

    /// <summary>A TLS 1.0/1.1/1.2 ClientHello with the usual extensions.</summary>
    public static ClientHelloProfile Tls(TlsVersion version, IEnumerable<ushort> suites, string? serverName)
    {
        var ext = ImmutableArray.CreateBuilder<ClientHelloExtension>();
        if (serverName is not null)
        {
            ext.Add(ClientHelloExtension.ServerName(serverName));
        }

        ext.Add(ClientHelloExtension.RenegotiationInfo());
        ext.Add(ClientHelloExtension.SupportedGroups(DefaultGroups));
        ext.Add(ClientHelloExtension.EcPointFormats(0, 1, 2));
        if (version >= TlsVersion.Tls12)
        {
            ext.Add(ClientHelloExtension.SignatureAlgorithms(DefaultSignatureAlgorithms));
        }

        ext.Add(ClientHelloExtension.SessionTicket());
        ext.Add(ClientHelloExtension.StatusRequest());
        ext.Add(ClientHelloExtension.ExtendedMasterSecret());
        ext.Add(ClientHelloExtension.Heartbeat());
        ext.Add(ClientHelloExtension.Padding());
        // Record version 0x0301 for every TLS ClientHello: some old servers reject a first record above
        // TLS 1.0 (the choice OpenSSL and browsers make too).
        return new ClientHelloProfile(TlsVersion.Tls10, version, [.. suites], [0], ext.ToImmutable());
    }

    /// <summary>A TLS 1.3 ClientHello (RFC 8446 §4.1.2) offering only TLS 1.3 in supported_versions.</summary>
    public static ClientHelloProfile Tls13(IEnumerable<ushort> suites, string? serverName, IEnumerable<ushort>? keyShareGroups = null)
    {
        var ext = ImmutableArray.CreateBuilder<ClientHelloExtension>();
        if (serverName is not null)
        {
            ext.Add(ClientHelloExtension.ServerName(serverName));
        }

        ext.Add(ClientHelloExtension.SupportedVersions([TlsVersion.Tls13]));
        ext.Add(ClientHelloExtension.SupportedGroups(DefaultGroups));
        ext.Add(ClientHelloExtension.KeyShare(keyShareGroups ?? DefaultKeyShareGroups));
        ext.Add(ClientHelloExtension.SignatureAlgorithms(DefaultSignatureAlgorithms));
        ext.Add(ClientHelloExtension.SignatureAlgorithmsCert(DefaultSignatureAlgorithms));
        ext.Add(ClientHelloExtension.PskKeyExchangeModes(1));
        ext.Add(ClientHelloExtension.RenegotiationInfo());
        ext.Add(ClientHelloExtension.EcPointFormats(0));
        ext.Add(ClientHelloExtension.Padding());
        return new ClientHelloProfile(TlsVersion.Tls10, TlsVersion.Tls12, [.. suites], [0], ext.ToImmutable(), 32);
    }

    /// <summary>The profile for <paramref name="version"/> (SSLv3, TLS 1.0–1.3); SSLv2 has its own builder.</summary>
    public static ClientHelloProfile For(TlsVersion version, IEnumerable<ushort> suites, string? serverName) => version switch
    {
        TlsVersion.Ssl3 => Ssl3(suites),
        TlsVersion.Tls13 => Tls13(suites, serverName),
        TlsVersion.Tls10 or TlsVersion.Tls11 or TlsVersion.Tls12 => Tls(version, suites, serverName),
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "SSLv2 uses Ssl2ClientHelloBuilder"),
    };
}
