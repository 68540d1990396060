using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Model;

/// <summary>Which XMPP service is scanned: client-to-server or server-to-server (RFC 6120 §2.5).</summary>
public enum XmppMode
{
    /// <summary>Client-to-server, <c>jabber:client</c>, SRV <c>_xmpp-client</c>/<c>_xmpps-client</c>, port 5222.</summary>
    [JsonStringEnumMemberName("c2s")]
    C2S,

    /// <summary>Server-to-server, <c>jabber:server</c>, SRV <c>_xmpp-server</c>/<c>_xmpps-server</c>, port 5269.</summary>
    [JsonStringEnumMemberName("s2s")]
    S2S,
}

/// <summary>How TLS starts on an endpoint.</summary>
public enum TlsTransport
{
    /// <summary>XMPP stream first, then <c>&lt;starttls/&gt;</c> (RFC 6120 §5).</summary>
    StartTls,

    /// <summary>TLS from the first byte, XEP-0368 (<c>_xmpps-*</c> SRV records).</summary>
    DirectTls,
}

/// <summary>Where an endpoint came from.</summary>
public enum EndpointSource
{
    /// <summary>An SRV record named the target host.</summary>
    Srv,

    /// <summary>No SRV records: the domain's own A/AAAA on the default port (RFC 6120 §3.2.2).</summary>
    AddressFallback,

    /// <summary>The operator named the address and port directly.</summary>
    Explicit,
}

/// <summary>Stable lower-case names used in JSON, events and reports.</summary>
public static class ModeNames
{
    public static string Name(this XmppMode mode) => mode == XmppMode.C2S ? "c2s" : "s2s";

    public static string Name(this TlsTransport transport) => transport == TlsTransport.StartTls ? "starttls" : "direct_tls";

    /// <summary>Default port when no SRV record exists (RFC 6120 §3.2.2, XEP-0368 has no fallback port).</summary>
    public static int DefaultPort(this XmppMode mode) => mode == XmppMode.C2S ? 5222 : 5269;

    /// <summary>The XML namespace of the stream content (RFC 6120 §4.8.2).</summary>
    public static string ContentNamespace(this XmppMode mode) => mode == XmppMode.C2S ? "jabber:client" : "jabber:server";

    /// <summary>The ALPN protocol id for direct TLS (XEP-0368 §4).</summary>
    public static string AlpnProtocol(this XmppMode mode) => mode == XmppMode.C2S ? "xmpp-client" : "xmpp-server";
}
