using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// Whether a failed connection means the server pushed back (rate limit, connection cap) rather than answered.
/// One rule for every census step, so a throttled result is retried after back-off and then recorded inconclusive,
/// never as "TLS not supported" or "suite refused".
/// </summary>
public static class ThrottleSignals
{
    /// <summary>
    /// A TCP reset before anything was learned, or a stream error <c>policy-violation</c> /
    /// <c>resource-constraint</c> / <c>connection-timeout</c> (RFC 6120 §4.9.3) — except the policy violation of a
    /// server that demands a client certificate, which is its answer, not throttling.
    /// </summary>
    public static bool IsThrottling(ProbeFailure? failure, XmppStreamFacts? xmpp)
    {
        if (failure is null)
        {
            return false;
        }

        if (xmpp?.StreamError?.Condition is "policy-violation" or "resource-constraint" or "connection-timeout"
            && xmpp.PeerCertificateRequired != true)
        {
            return true;
        }

        return failure.Kind == FailureKind.ConnectionClosed
            && failure.Message.Contains("ConnectionReset", StringComparison.Ordinal)
            && xmpp?.StreamId is null;
    }
}
