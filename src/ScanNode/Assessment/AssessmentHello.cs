using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>What one assessment ClientHello offers beyond its version and suites.</summary>
/// <param name="Groups">supported_groups, or null for the shape's default list.</param>
/// <param name="KeyShares">TLS 1.3 key_share groups (empty = ask for a HelloRetryRequest), or null for the default.</param>
/// <param name="SignatureAlgorithms">signature_algorithms, or null for the shape's default list.</param>
public sealed record HelloOptions(
    IReadOnlyList<ushort>? Groups = null,
    IReadOnlyList<ushort>? KeyShares = null,
    IReadOnlyList<ushort>? SignatureAlgorithms = null)
{
    public static HelloOptions Default { get; } = new();
}

/// <summary>
/// The two ClientHello shapes of an assessment. Full: the usual extensions and padding to 512 bytes (what
/// browsers send, and the F5 "256–511 bytes" workaround of RFC 7685). Compact: only what a handshake needs
/// (SNI, renegotiation_info, groups, point formats, signature algorithms, TLS 1.3 essentials), short lists,
/// no padding — for servers that reset on long hellos or on extensions they do not know.
/// </summary>
public static class AssessmentHello
{
    /// <summary>supported_groups of the compact hello.</summary>
    public static ImmutableArray<ushort> CompactGroups { get; } =
        [NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.Secp384r1, NamedGroups.Secp521r1, NamedGroups.X448];

    /// <summary>signature_algorithms of the compact hello.</summary>
    public static ImmutableArray<ushort> CompactSignatureAlgorithms { get; } =
        [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203];

    /// <summary>Builds the hello for <paramref name="version"/> (SSLv3 … TLS 1.3).</summary>
    public static ClientHelloProfile Build(TlsVersion version, IReadOnlyList<ushort> suites, string? serverName, bool compact,
        HelloOptions? options = null)
    {
        options ??= HelloOptions.Default;
        if (version == TlsVersion.Ssl3)
        {
            // RFC 6101 has no extensions: the renegotiation SCSV (RFC 5746 §3.3) stands in for renegotiation_info.
            return ClientHelloProfiles.Ssl3([.. suites, 0x00FF]);
        }

        var groups = options.Groups ?? (compact ? CompactGroups : ClientHelloProfiles.DefaultGroups);
        var sigalgs = options.SignatureAlgorithms ?? (compact ? CompactSignatureAlgorithms : ClientHelloProfiles.DefaultSignatureAlgorithms);
        var ext = ImmutableArray.CreateBuilder<ClientHelloExtension>();
        if (serverName is not null)
        {
            ext.Add(ClientHelloExtension.ServerName(serverName));
        }

        if (version == TlsVersion.Tls13)
        {
            ext.Add(ClientHelloExtension.SupportedVersions([TlsVersion.Tls13]));
            ext.Add(ClientHelloExtension.SupportedGroups(groups));
            ext.Add(ClientHelloExtension.KeyShare(options.KeyShares ?? ClientHelloProfiles.DefaultKeyShareGroups));
            ext.Add(ClientHelloExtension.SignatureAlgorithms(sigalgs));
            if (!compact)
            {
                ext.Add(ClientHelloExtension.SignatureAlgorithmsCert(sigalgs));
            }

            ext.Add(ClientHelloExtension.PskKeyExchangeModes(1));
        }
        else
        {
            ext.Add(ClientHelloExtension.RenegotiationInfo());
            ext.Add(ClientHelloExtension.SupportedGroups(groups));
            ext.Add(ClientHelloExtension.EcPointFormats(0));
            if (version >= TlsVersion.Tls12)
            {
                ext.Add(ClientHelloExtension.SignatureAlgorithms(sigalgs));
            }
        }

        if (!compact)
        {
            if (version != TlsVersion.Tls13)
            {
                ext.Add(ClientHelloExtension.SessionTicket());
                ext.Add(ClientHelloExtension.StatusRequest());
                ext.Add(ClientHelloExtension.ExtendedMasterSecret());
                ext.Add(ClientHelloExtension.Heartbeat());
            }

            ext.Add(ClientHelloExtension.Padding());
        }

        return version == TlsVersion.Tls13
            ? new ClientHelloProfile(TlsVersion.Tls10, TlsVersion.Tls12, [.. suites], [0], ext.ToImmutable(), 32)
            : new ClientHelloProfile(TlsVersion.Tls10, version, [.. suites], [0], ext.ToImmutable());
    }

    /// <summary>
    /// A TLS 1.3 hello carrying all of <paramref name="tls12"/> as well: its suites after <paramref name="tls13"/>'s, and
    /// its extensions that TLS 1.3 hellos lack (renegotiation_info, point formats, ticket, status_request, extended master
    /// secret, heartbeat) before the padding. A server that answers it tolerates every byte the TLS 1.2 hello sent, so
    /// that hello's close was about TLS 1.2 itself. Its answer is the answer to <paramref name="tls13"/>: a TLS 1.3 server
    /// picks among the TLS 1.3 suites (RFC 8446 §4.1.1) and ignores what only TLS 1.2 uses. Null when an extension both
    /// hellos carry differs (the witness would not cover the TLS 1.2 hello).
    /// </summary>
    public static ClientHelloProfile? Witness(ClientHelloProfile tls13, ClientHelloProfile tls12)
    {
        var own = tls13.Extensions.ToDictionary(e => e.Type);
        if (tls12.Extensions.Any(e => own.TryGetValue(e.Type, out var same) && (same.PadToLength != e.PadToLength || !same.Data.SequenceEqual(e.Data))))
        {
            return null;
        }

        var extra = tls12.Extensions.Where(e => !own.ContainsKey(e.Type));
        var padding = tls13.Extensions.Where(e => e.Type == TlsExtensionType.Padding);
        return tls13 with
        {
            CipherSuites = [.. tls13.CipherSuites, .. tls12.CipherSuites.Except(tls13.CipherSuites)],
            Extensions = [.. tls13.Extensions.Where(e => e.Type != TlsExtensionType.Padding), .. extra, .. padding],
        };
    }
}
