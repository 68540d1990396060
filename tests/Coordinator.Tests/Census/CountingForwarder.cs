using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// The server side of a region's differing DNS answer: a TCP relay on a loopback address of its own that records, per
/// connection, when it accepted it and when the client's side ended (monotonic timestamps, <see cref="Stopwatch"/>), and
/// relays bytes untouched to the upstream server on the same port.
/// </summary>
internal sealed class CountingForwarder : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentQueue<Connection> _connections = new();

    /// <summary>One relayed connection: accepted at <see cref="Accepted"/>, the client's end seen at <see cref="Ended"/>
    /// (<see cref="Stopwatch"/> ticks; 0 while open).</summary>
    internal sealed class Connection(int port, long accepted)
    {
        public int Port { get; } = port;

        public long Accepted { get; } = accepted;

        public long Ended { get; set; }
    }

    public IReadOnlyList<Connection> Connections => [.. _connections.OrderBy(c => c.Accepted)];

    public static CountingForwarder Start(IPAddress listen, IPAddress upstream, params int[] ports)
    {
        var forwarder = new CountingForwarder();
        foreach (var port in ports)
        {
            var listener = new TcpListener(listen, port);
            listener.Start();
            forwarder._listeners.Add(listener);
            forwarder._loops.Add(forwarder.AcceptAsync(listener, new IPEndPoint(upstream, port)));
        }

        return forwarder;
    }

    private async Task AcceptAsync(TcpListener listener, IPEndPoint upstream)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var connection = new Connection(upstream.Port, Stopwatch.GetTimestamp());
            _connections.Enqueue(connection);
            _ = RelayAsync(client, upstream, connection);
        }
    }

    private async Task RelayAsync(TcpClient client, IPEndPoint upstream, Connection connection)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(upstream, _stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token)
                .ContinueWith(_ => { connection.Ended = Stopwatch.GetTimestamp(); server.Client.Shutdown(SocketShutdown.Send); }, TaskScheduler.Default);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAll(up, down);
        }
        catch (Exception)
        {
            // A reset on either side ends the relay; the accept time is what the test reads.
            if (connection.Ended == 0)
            {
                connection.Ended = Stopwatch.GetTimestamp();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
