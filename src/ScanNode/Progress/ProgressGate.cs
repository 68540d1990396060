using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Progress;

/// <summary>
/// The interactive scan's gate: lets every connection through at once (its politeness is the assessment's own
/// spacing and connection limit) and counts it for the progress display.
/// </summary>
public sealed class ProgressGate(IScanProgress progress) : IConnectionGate
{
    public ValueTask<ConnectionPermit> EnterAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        progress.ConnectionOpened(endpoint);
        return ValueTask.FromResult(ConnectionPermit.Granted(null));
    }
}
