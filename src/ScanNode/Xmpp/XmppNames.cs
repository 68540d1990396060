namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>XML namespaces and element names the stream layer decides on (RFC 6120, XEPs as cited).</summary>
internal static class XmppNames
{
    /// <summary>RFC 6120 §4.8.1: the stream namespace (<c>stream:stream</c>, <c>stream:features</c>, <c>stream:error</c>).</summary>
    public const string Streams = "http://etherx.jabber.org/streams";

    /// <summary>RFC 6120 §4.9.3: stream error conditions and <c>&lt;text/&gt;</c>.</summary>
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    /// <summary>RFC 6120 §5.4: <c>starttls</c>, <c>required</c>, <c>proceed</c>, <c>failure</c>.</summary>
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";

    /// <summary>RFC 6120 §6.4.1: <c>mechanisms/mechanism</c>.</summary>
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";

    /// <summary>RFC 6120 §7: resource binding.</summary>
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";

    /// <summary>XEP-0138 §2: stream compression feature.</summary>
    public const string Compression = "http://jabber.org/features/compress";

    /// <summary>XEP-0220 §2.4: the dialback stream feature.</summary>
    public const string DialbackFeature = "urn:xmpp:features:dialback";

    /// <summary>XEP-0220: the <c>db:</c> namespace declared on s2s stream headers.</summary>
    public const string DialbackPrefixNamespace = "jabber:server:dialback";
}
