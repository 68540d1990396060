using System.Net.Sockets;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// The wire engine's one classifier for what a probe connection can throw at a read or a write: deadlines
/// (the per-read one and the connection's, e.g. a server dripping its handshake a byte at a time), resets,
/// closes and byte budgets become their <see cref="FailureKind"/>; anything else is <see cref="FailureKind.Internal"/>
/// (our bug, not the server's). The caller's own cancellation is never classified: it propagates.
/// </summary>
public static class WireFailures
{
    /// <summary>Classifies <paramref name="error"/> thrown during <paramref name="operation"/> ("read", "write", "connect").</summary>
    public static ProbeFailure Classify(Exception error, string operation) => error switch
    {
        DeadlineExceededException or TimeoutException => new(FailureKind.Timeout, $"{operation}: {error.Message}"),
        OperationCanceledException => new(FailureKind.Timeout, $"{operation}: deadline passed"),
        ByteBudgetExceededException => new(FailureKind.LimitExceeded, $"{operation}: {error.Message}"),
        IOException when Socket(error) is { } se => FromSocket(se, operation),
        IOException or ObjectDisposedException => new(FailureKind.ConnectionClosed, $"{operation} failed: {error.Message}"),
        SocketException se => FromSocket(se, operation),
        _ => Internal(error, operation),
    };

    /// <summary>An unexpected exception in a probe: recorded as that probe's <see cref="FailureKind.Internal"/> failure.</summary>
    public static ProbeFailure Internal(Exception error, string where) =>
        new(FailureKind.Internal, $"internal error in {where}: {error.GetType().Name}: {Xmpp.ServerText.Bound(error.Message, 200)}");

    private static SocketException? Socket(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
        {
            if (x is SocketException se) return se;
        }

        return null;
    }

    private static ProbeFailure FromSocket(SocketException se, string operation) => se.SocketErrorCode switch
    {
        SocketError.ConnectionReset => new(FailureKind.ConnectionClosed, $"connection reset by the server during a {operation}"),
        SocketError.TimedOut => new(FailureKind.Timeout, $"TCP timeout during a {operation}"),
        _ => new(FailureKind.ConnectionClosed, $"{se.SocketErrorCode} during a {operation}"),
    };
}
