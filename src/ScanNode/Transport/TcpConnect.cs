using System.Diagnostics;
using System.Net.Sockets;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>Opens the TCP connection to <see cref="XmppEndpoint.Address"/>:<see cref="XmppEndpoint.Port"/>
/// (never to the domain) and wraps it in a <see cref="BoundedStream"/> that owns the socket.</summary>
internal static class TcpConnect
{
    /// <summary>Connects within <see cref="ScanLimits.ConnectTimeout"/>; the returned stream carries the rest
    /// of <see cref="ScanLimits.ConnectionTimeout"/>, the per-read deadline and the per-connection byte budget.</summary>
    public static async Task<BoundedStream> ConnectAsync(XmppEndpoint endpoint, ScanLimits limits, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connectCts.CancelAfter(Min(limits.ConnectTimeout, limits.ConnectionTimeout));
                try
                {
                    await socket.ConnectAsync(endpoint.Address, endpoint.Port, connectCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new DeadlineExceededException(
                        $"TCP connect to {endpoint.AddressAndPort} timed out after {limits.ConnectTimeout.TotalMilliseconds:0} ms");
                }
            }
            var network = new NetworkStream(socket, ownsSocket: true);
            return new BoundedStream(network, ownsInner: true, limits.MaxBytesPerConnection, limits.ReadTimeout,
                limits.ConnectionTimeout - started.Elapsed, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
