namespace XmppScanCluster.Shared.Xmpp;

/// <summary>One <c>&lt;stream:features/&gt;</c> element, decided element by element (RFC 6120 §4.3.2).</summary>
/// <param name="StartTls">The <c>urn:ietf:params:xml:ns:xmpp-tls</c> feature and its <c>required</c> flag.</param>
/// <param name="SaslMechanisms"><c>mechanisms/mechanism</c> (RFC 6120 §6.4.1), in the server's order.</param>
/// <param name="CompressionMethods"><c>compression/method</c> (XEP-0138), in the server's order.</param>
/// <param name="Dialback"><c>&lt;dialback xmlns='urn:xmpp:features:dialback'/&gt;</c> (XEP-0220 §2.4).</param>
/// <param name="Bind"><c>&lt;bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/&gt;</c> (RFC 6120 §7).</param>
/// <param name="OtherFeatures">Every other feature as <c>{namespace}name</c>, bounded in count and length.</param>
public sealed record XmppFeatures(
    StartTlsSupport StartTls,
    IReadOnlyList<string> SaslMechanisms,
    IReadOnlyList<string> CompressionMethods,
    bool Dialback,
    bool Bind,
    IReadOnlyList<string> OtherFeatures);
