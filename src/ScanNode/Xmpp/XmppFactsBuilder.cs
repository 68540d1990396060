using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>Collects facts as a conversation goes, so a failure half-way still reports what was learned.</summary>
internal sealed class XmppFactsBuilder
{
    public string? StreamId { get; set; }
    public string? From { get; set; }
    public string? Version { get; set; }
    public XmppFeatures? PreTlsFeatures { get; set; }
    public XmppFeatures? PostTlsFeatures { get; set; }
    public StreamErrorInfo? StreamError { get; set; }
    public bool? StreamRestartAfterTlsWorked { get; set; }
    public bool? PeerCertificateRequired { get; set; }

    /// <summary>Keeps the first header's attributes (the facts describe the server's first answer).</summary>
    public void RecordHeader(StreamHeader header)
    {
        if (StreamId is not null || From is not null || Version is not null) return;
        StreamId = header.Id;
        From = header.From;
        Version = header.Version;
    }

    public XmppStreamFacts Build() => new(StreamId, From, Version, PreTlsFeatures, PostTlsFeatures, StreamError,
        StreamRestartAfterTlsWorked, PeerCertificateRequired);
}
