using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>An already classified failure of the XMPP conversation (stream error, STARTTLS refused, wrong
/// element). Internal control flow only: the public probes turn it into their result's failure.</summary>
internal class XmppProtocolException(ProbeFailure failure) : Exception(failure.Message)
{
    public ProbeFailure Failure { get; } = failure;

    public static XmppProtocolException Of(FailureKind kind, string message) => new(new ProbeFailure(kind, message));
}
