using System.Net;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Progress;

/// <summary>
/// What a scan tells the operator's progress display, from where the time is spent: the step each endpoint is in,
/// every connection the gate lets through, and every politeness wait before one. Called from many threads; must be
/// cheap and never throw.
/// </summary>
public interface IScanProgress
{
    /// <summary>A step of <paramref name="domain"/> started; <paramref name="endpoint"/> is null for the discovery.</summary>
    void StepStarted(string domain, XmppEndpoint? endpoint, string step);

    /// <summary>That step ended (whatever its outcome).</summary>
    void StepFinished(string domain, XmppEndpoint? endpoint, string step);

    /// <summary>A connection to <paramref name="address"/> waits <paramref name="wait"/> for the politeness limits.</summary>
    void Waiting(IPAddress address, TimeSpan wait, WaitReason reason);

    /// <summary>A connection to <paramref name="endpoint"/> was let through (it is about to connect).</summary>
    void ConnectionOpened(XmppEndpoint endpoint);

    /// <summary>Every step of <paramref name="domain"/> is done (completed or failed).</summary>
    void TargetFinished(string domain);
}

/// <summary>Why a connection waits before it starts.</summary>
public enum WaitReason
{
    /// <summary>The minimum time between two connection starts to one address.</summary>
    Spacing,

    /// <summary>The server throttled us; later connections to it wait longer (doubling).</summary>
    BackOff,
}
