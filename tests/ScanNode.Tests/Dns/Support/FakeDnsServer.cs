using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Tests.Dns.Support;

/// <summary>What the fake server does with one UDP query: datagrams to send, in order (none = stay silent).</summary>
internal sealed record FakeReply(byte[] Bytes, bool FromOtherSocket = false)
{
    internal static FakeReply[] Silence => [];
}

/// <summary>
/// A scripted DNS server on 127.0.0.1 with an ephemeral port, UDP and TCP on the same port. Each query is
/// handed to a script that decides the reply, so a test reads like a transcript:
/// query 1 → silence, query 2 → answer. Records every query it saw.
/// </summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly Socket _other;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private readonly Func<TestQuery, FakeReply[]> _udpScript;
    private readonly Func<TestQuery, byte[]?> _tcpScript;
    private readonly bool _tcpByteByByte;
    private readonly bool _tcpClosesAfterAnswer;

    internal FakeDnsServer(
        Func<TestQuery, FakeReply[]> udpScript, Func<TestQuery, byte[]?>? tcpScript = null, bool tcpByteByByte = false,
        IPAddress? address = null, bool tcpClosesAfterAnswer = false)
    {
        _tcpByteByByte = tcpByteByByte;
        _tcpClosesAfterAnswer = tcpClosesAfterAnswer;
        address ??= IPAddress.Loopback;
        _udpScript = udpScript;
        _tcpScript = tcpScript ?? (_ => null);
        (_udp, _tcp) = BindPair(address);
        _other = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _other.Bind(new IPEndPoint(address, 0));
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    internal IPEndPoint EndPoint => (IPEndPoint)_udp.LocalEndPoint!;

    internal ConcurrentQueue<TestQuery> UdpQueries { get; } = new();

    internal ConcurrentQueue<TestQuery> TcpQueries { get; } = new();

    /// <summary>A server that answers every query from a fixed zone (see <see cref="FakeZone"/>).</summary>
    internal static FakeDnsServer ForZone(FakeZone zone) =>
        new(q => [new FakeReply(zone.Answer(q))], q => zone.Answer(q));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        _other.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private static (Socket Udp, TcpListener Tcp) BindPair(IPAddress address)
    {
        for (int i = 0; ; i++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            try
            {
                var tcp = new TcpListener(address, ((IPEndPoint)udp.LocalEndPoint!).Port);
                tcp.Start();
                return (udp, tcp);
            }
            catch (SocketException) when (i < 20)
            {
                udp.Dispose();
            }
        }
    }

    private async Task UdpLoopAsync()
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(
                    _udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var query = TestQuery.Parse(buffer[..received.ReceivedBytes]);
            UdpQueries.Enqueue(query);
            foreach (var reply in _udpScript(query))
            {
                var socket = reply.FromOtherSocket ? _other : _udp;
                await socket.SendToAsync(reply.Bytes, SocketFlags.None, received.RemoteEndPoint);
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeTcpAsync(client));
        }
    }

    /// <summary>
    /// One TCP connection: queries answered in turn until the client closes (RFC 7766 §6.2.1 lets a client send
    /// several), or after the first answer when the server was made to close (as many servers do).
    /// </summary>
    private async Task ServeTcpAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                byte[] prefix = new byte[2];
                while (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, _stop.Token) == 2)
                {
                    byte[] raw = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    await stream.ReadExactlyAsync(raw, _stop.Token);
                    var query = TestQuery.Parse(raw);
                    TcpQueries.Enqueue(query);
                    if (_tcpScript(query) is not { } reply)
                    {
                        return;
                    }

                    byte[] framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    if (_tcpByteByByte)
                    {
                        client.NoDelay = true;
                        for (int i = 0; i < framed.Length; i++)
                        {
                            await stream.WriteAsync(framed.AsMemory(i, 1), _stop.Token);
                            await stream.FlushAsync(_stop.Token);
                            await Task.Delay(1, _stop.Token);
                        }
                    }
                    else
                    {
                        await stream.WriteAsync(framed, _stop.Token);
                    }

                    if (_tcpClosesAfterAnswer)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
            {
                // The client went away or the server is stopping.
            }
        }
    }
}
