namespace XmppScanCluster.ScanNode.Transport;

/// <summary>Choices for how the scanner presents itself on an XMPP stream.</summary>
public sealed record XmppConnectorOptions
{
    /// <summary>The <c>from</c> of our s2s stream header (RFC 6120 §4.7.1). <c>.invalid</c> (RFC 2606) by
    /// default, so no server can dial back to anyone real.</summary>
    public string S2sFromDomain { get; init; } = "xmppscan.invalid";

    /// <summary>Defaults.</summary>
    public static XmppConnectorOptions Default { get; } = new();
}
