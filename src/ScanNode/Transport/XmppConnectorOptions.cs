namespace XmppScanCluster.ScanNode.Transport;

/// <summary>Choices for how the scanner presents itself on an XMPP stream.</summary>
public sealed record XmppConnectorOptions
{
    /// <summary>The <c>from</c> of our s2s stream header (RFC 6120 §4.7.1). <c>.invalid</c> (RFC 2606) by
    /// default, so no server can dial back to anyone real.</summary>
    public string S2sFromDomain { get; init; } = "xmppscan.invalid";

    /// <summary>
    /// Send the stream header and <c>&lt;starttls/&gt;</c> in one write instead of waiting for the features
    /// first: one round trip less per connection. RFC 6120 §5.4.2.1 has the client wait for the features, so
    /// it is off by default; Prosody 0.12 accepts it. The pre-TLS features are still read and recorded; if
    /// they do not offer STARTTLS the result is StartTlsNotOffered as without pipelining.
    /// </summary>
    public bool PipelineStartTls { get; init; }

    /// <summary>Defaults.</summary>
    public static XmppConnectorOptions Default { get; } = new();
}
