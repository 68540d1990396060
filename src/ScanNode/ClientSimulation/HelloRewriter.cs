using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.ClientSimulation;

/// <summary>What to change when a recorded hello is replayed against one service.</summary>
/// <param name="ServerName">The service domain for SNI; null removes SNI (connecting by address).</param>
/// <param name="Alpn">Protocols for an ALPN extension the recording already has (e.g. <c>xmpp-client</c> on a
/// direct-TLS port); null removes it. Browser recordings carry <c>h2</c>, which no XMPP app sends and which
/// an XMPP server with ALPN must refuse (RFC 7301 §3.2).</param>
public sealed record HelloRewriteOptions(string? ServerName, IReadOnlyList<string>? Alpn = null);

/// <summary>
/// Turns a recorded hello into the one the client would send to this service, changing only what is per
/// connection, never what the client offers:
/// <list type="bullet">
/// <item>server_name: the service domain instead of the recorded one; a client that sent no SNI still sends none.</item>
/// <item>key_share: fresh valid public keys for X25519, X448 and the NIST curves, so the server can compute its
/// share (RFC 8446 §4.2.8); other entries (GREASE, FFDHE, hybrids) are kept as recorded.</item>
/// <item>pre_shared_key and early_data are dropped: a recorded resumption binder cannot verify here (RFC 8446 §4.2.11).</item>
/// <item>cookie is dropped (only valid in a second hello, RFC 8446 §4.2.2).</item>
/// <item>padding keeps the hello at its recorded length (RFC 7685); random and session id are fresh (same length).</item>
/// </list>
/// </summary>
public static class HelloRewriter
{
    public static ClientHelloProfile Rewrite(RecordedHello hello, HelloRewriteOptions options)
    {
        var extensions = ImmutableArray.CreateBuilder<ClientHelloExtension>(hello.Profile.Extensions.Length);
        foreach (var e in hello.Profile.Extensions)
        {
            switch (e.Type)
            {
                case TlsExtensionType.ServerName:
                    if (options.ServerName is { } name)
                    {
                        extensions.Add(ClientHelloExtension.ServerName(name));
                    }

                    break;
                case TlsExtensionType.Alpn:
                    if (options.Alpn is { Count: > 0 } alpn)
                    {
                        extensions.Add(ClientHelloExtension.Alpn([.. alpn]));
                    }

                    break;
                case TlsExtensionType.KeyShare:
                    extensions.Add(RegenerateKeyShares(e));
                    break;
                case TlsExtensionType.PreSharedKey or TlsExtensionType.EarlyData or TlsExtensionType.Cookie:
                    break;
                default:
                    extensions.Add(e);
                    break;
            }
        }

        return hello.Profile with { Extensions = extensions.ToImmutable(), FixedRandom = null };
    }

    /// <summary>
    /// <code>struct { NamedGroup group; opaque key_exchange&lt;1..2^16-1&gt;; } KeyShareEntry;
    /// struct { KeyShareEntry client_shares&lt;0..2^16-1&gt;; } KeyShareClientHello;   RFC 8446 §4.2.8</code>
    /// A malformed recorded key_share is replayed unchanged.
    /// </summary>
    private static ClientHelloExtension RegenerateKeyShares(ClientHelloExtension recorded)
    {
        var entries = new List<(ushort Group, byte[] Key)>();
        var r = new TlsSpanReader(recorded.Data.AsSpan());
        if (!r.TryReadVector16(out var shares) || !r.IsEmpty)
        {
            return recorded;
        }

        var sr = new TlsSpanReader(shares);
        while (!sr.IsEmpty)
        {
            if (!sr.TryReadUInt16(out var group) || !sr.TryReadVector16(out var key))
            {
                return recorded;
            }

            var fresh = CipherSuiteRegistry.IsGrease(group) ? null : ClientHelloExtension.PublicKeyFor(group);
            entries.Add((group, fresh ?? key.ToArray()));
        }

        return ClientHelloExtension.Create(TlsExtensionType.KeyShare, w =>
        {
            var list = w.BeginVector16();
            foreach (var (group, key) in entries)
            {
                w.WriteUInt16(group);
                w.WriteVector(2, key);
            }

            w.EndVector(list);
        });
    }
}
