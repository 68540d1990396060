using System.Net.Sockets;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>Opens the TCP connection to <see cref="XmppEndpoint.Address"/>:<see cref="XmppEndpoint.Port"/>
/// (never to the domain) and wraps it in a <see cref="BoundedStream"/> that owns the socket.</summary>
internal static class TcpConnect
{
    /// <summary>Connects within <see cref="ScanLimits.ConnectTimeout"/>; the returned stream carries the rest
    /// of <see cref="ScanLimits.ConnectionTimeout"/>, the per-read deadline and the per-connection byte budget.</summary>
    public static async Task<BoundedStream> ConnectAsync(XmppEndpoint endpoint, ScanLimits limits, CancellationToken ct,
        ConnectionPermit? permit = null)
    {
        long started = limits.Clock.GetTimestamp();
        var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // On limits.Clock, as every later deadline of the connection.
            using (var connectDeadline = new OperationDeadline(ct, limits.Clock))
            {
                var connectToken = connectDeadline.Start(Min(limits.ConnectTimeout, limits.ConnectionTimeout), default, out _);
                try
                {
                    var connecting = socket.ConnectAsync(endpoint.Address, endpoint.Port, connectToken);
                    // A non-blocking connect has sent its SYN when the call returns: the gate counts the address's
                    // spacing from this report, not from its grant (which a loaded node may act on late).
                    permit?.Started();
                    await connecting.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new DeadlineExceededException(
                        $"TCP connect to {endpoint.AddressAndPort} timed out after {limits.ConnectTimeout.TotalMilliseconds:0} ms");
                }
            }
            var network = permit is null ? new NetworkStream(socket, ownsSocket: true) : new PermitStream(socket, permit);
            return new BoundedStream(network, ownsInner: true, limits.MaxBytesPerConnection, limits.ReadTimeout,
                limits.ConnectionTimeout - limits.Clock.GetElapsedTime(started), ct, time: limits.Clock);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket stream that releases a connection gate permit when it is closed.</summary>
    private sealed class PermitStream(Socket socket, IDisposable permit) : NetworkStream(socket, ownsSocket: true)
    {
        protected override void Dispose(bool disposing)
        {
            try
            {
                base.Dispose(disposing);
            }
            finally
            {
                permit.Dispose();
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
