using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// The session's ClientHello: what .NET 10's SslStream sends on Debian 12's OpenSSL 3.0 with the options the session
/// used (captured 2026-12-07 from <c>AuthenticateAsClientAsync</c> with SslProtocols.None, no resumption): the same
/// suites in the same order, the same groups, signature schemes, versions and extensions, one x25519 key share and a
/// 32-byte legacy_session_id. So a server chooses what it chose for the platform's default client, and the session's
/// facts keep their meaning. Two differences, both things a server never needs: no encrypt_then_mac (RFC 7366; this
/// engine does MAC-then-encrypt only, and a CBC suite works either way). SessionHelloTests pins the rest to SslStream's.
/// </summary>
internal static class SessionHello
{
    /// <summary>TLS 1.3 AES-256/ChaCha20/AES-128, then ECDHE with AES-GCM, then ECDHE with AES-CBC-SHA384/256, then the
    /// renegotiation SCSV (RFC 5746 §3.3) — SslStream's list, not OpenSSL's DEFAULT (no DHE, no ChaCha20 in TLS 1.2).</summary>
    public static ImmutableArray<ushort> Suites { get; } =
        [0x1302, 0x1303, 0x1301, 0xC02C, 0xC02B, 0xC030, 0xC02F, 0xC024, 0xC023, 0xC028, 0xC027, 0x00FF];

    public static ImmutableArray<ushort> Groups { get; } =
    [
        NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.X448, NamedGroups.Secp521r1, NamedGroups.Secp384r1,
        NamedGroups.Ffdhe2048, NamedGroups.Ffdhe3072, 0x0102, 0x0103, 0x0104,
    ];

    public static ImmutableArray<ushort> SignatureSchemes { get; } =
    [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0804, 0x0805, 0x0806,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
    ];

    /// <summary>The hello as data; the caller builds it with <see cref="ClientHelloBuilder"/>.</summary>
    /// <param name="serverName">SNI: the XMPP service domain.</param>
    /// <param name="share">The one key share (x25519 first; the group a HelloRetryRequest asked for after).</param>
    /// <param name="alpn">xmpp-client or xmpp-server on direct TLS (XEP-0368); null on STARTTLS.</param>
    /// <param name="cookie">The HelloRetryRequest's cookie, echoed (RFC 8446 §4.2.2).</param>
    public static ClientHelloProfile Profile(string serverName, KeyShareSecret share, string? alpn, ImmutableArray<byte>? cookie = null)
    {
        var ext = ImmutableArray.CreateBuilder<ClientHelloExtension>();
        ext.Add(ClientHelloExtension.ServerName(serverName));
        ext.Add(ClientHelloExtension.EcPointFormats(0, 1, 2));
        ext.Add(ClientHelloExtension.SupportedGroups(Groups));
        ext.Add(ClientHelloExtension.StatusRequest());
        if (alpn is not null)
        {
            ext.Add(ClientHelloExtension.Alpn(alpn));
        }

        ext.Add(ClientHelloExtension.ExtendedMasterSecret());
        ext.Add(ClientHelloExtension.SignatureAlgorithms(SignatureSchemes));
        ext.Add(ClientHelloExtension.SupportedVersions([TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10]));
        if (cookie is { } c)
        {
            ext.Add(ClientHelloExtension.Create(TlsExtensionType.Cookie, w => w.WriteVector(2, c.AsSpan())));
        }

        ext.Add(ClientHelloExtension.PskKeyExchangeModes(1));
        ext.Add(ClientHelloExtension.Create(TlsExtensionType.KeyShare, w =>
        {
            var list = w.BeginVector16();
            w.WriteUInt16(share.Group);
            w.WriteVector(2, share.PublicKey);
            w.EndVector(list);
        }));
        return new ClientHelloProfile(TlsVersion.Tls10, TlsVersion.Tls12, Suites, [0], ext.ToImmutable(), SessionIdLength: 32);
    }
}
