using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// A loopback TCP relay (tests only): forwards every connection both ways untouched. With <c>capture</c> it keeps the client's
/// first TLS record of each connection (on a direct-TLS port, its ClientHello); without, it only relays (a STARTTLS port,
/// whose first bytes are XML).
/// </summary>
internal sealed class FirstRecordRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly bool _capture;
    private readonly ConcurrentQueue<byte[]> _hellos = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Task _accepting;

    /// <summary>Listens on <paramref name="listen"/> (port 0: any free port) and relays to <paramref name="target"/>.</summary>
    public FirstRecordRelay(IPEndPoint listen, IPEndPoint target, bool capture = true)
    {
        if (!IPAddress.IsLoopback(listen.Address) || !IPAddress.IsLoopback(target.Address))
        {
            throw new InvalidOperationException("tests relay on loopback only");
        }

        _target = target;
        _capture = capture;
        _listener = new TcpListener(listen);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The first record of every connection so far, in the order they came.</summary>
    public IReadOnlyList<byte[]> Hellos => [.. _hellos];

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _sessions.Add(RelayAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient(_target.AddressFamily))
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                var fromClient = client.GetStream();
                var toServer = upstream.GetStream();
                if (_capture)
                {
                    // TLSPlaintext: type, version, uint16 length (RFC 8446 §5.1), then the fragment.
                    var header = new byte[5];
                    await fromClient.ReadExactlyAsync(header, _stop.Token);
                    var record = new byte[5 + ((header[3] << 8) | header[4])];
                    header.CopyTo(record, 0);
                    await fromClient.ReadExactlyAsync(record.AsMemory(5), _stop.Token);
                    _hellos.Enqueue(record);
                    await toServer.WriteAsync(record, _stop.Token);
                }

                await Task.WhenAny(fromClient.CopyToAsync(toServer, _stop.Token), toServer.CopyToAsync(fromClient, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
            {
                // The scanner or the server closed: nothing more to relay.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }
}
