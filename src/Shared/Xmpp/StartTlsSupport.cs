namespace XmppScanCluster.Shared.Xmpp;

/// <summary>What the server's pre-TLS <c>&lt;stream:features/&gt;</c> said about STARTTLS (RFC 6120 §5.4.1).</summary>
public enum StartTlsSupport
{
    /// <summary>No <c>&lt;starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/&gt;</c> feature.</summary>
    NotOffered,

    /// <summary><c>&lt;starttls/&gt;</c> without a <c>&lt;required/&gt;</c> child: TLS is optional.</summary>
    Offered,

    /// <summary><c>&lt;starttls&gt;&lt;required/&gt;&lt;/starttls&gt;</c>: the server insists on TLS.</summary>
    Required,
}
