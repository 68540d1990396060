using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;

/// <summary>What the server told a real client, read off the wire.</summary>
/// <param name="ServerHello">The final ServerHello (after a HelloRetryRequest, the second one), or null.</param>
/// <param name="HelloRetry">The server sent a HelloRetryRequest first.</param>
/// <param name="Flight">The server's first flight as the project's own reader saw it (SKE, alert…).</param>
/// <param name="ClientHello">The client's first flight (its ClientHello records).</param>
/// <param name="TargetUnreachable">The relay could not connect to the server (e.g. a testbed server restarting).</param>
internal sealed record ObservedHandshake(ServerHello? ServerHello, bool HelloRetry, HandshakeResult Flight, byte[] ClientHello)
{
    public bool TargetUnreachable { get; init; }
}

/// <summary>
/// A loopback TCP relay between a real TLS client and a server (tests only): forwards both ways untouched
/// and records the bytes, so the negotiated version, suite and group are read from the ServerHello the
/// server sent to the real library — the same ground truth for every library, whatever it prints.
/// </summary>
internal sealed class HandshakeRelay : IAsyncDisposable
{
    private const int MaxRecorded = 256 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly MemoryStream _fromClient = new();
    private readonly MemoryStream _fromServer = new();
    private readonly Task _session;

    public HandshakeRelay(int targetPort)
        : this(new IPEndPoint(IPAddress.Loopback, targetPort))
    {
    }

    public HandshakeRelay(IPEndPoint target)
    {
        if (!IPAddress.IsLoopback(target.Address)) throw new InvalidOperationException("tests relay to loopback only");
        _target = target;
        _listener.Start();
        _session = Task.Run(RelayOneAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Waits for the relayed connection to end (or <paramref name="timeout"/>), then reads the server's answer.</summary>
    public async Task<ObservedHandshake> ObserveAsync(TimeSpan timeout)
    {
        var unreachable = false;
        try
        {
            await _session.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
        }
        catch (SocketException)
        {
            unreachable = true;
        }

        byte[] server, client;
        lock (_fromServer) server = _fromServer.ToArray();
        lock (_fromClient) client = _fromClient.ToArray();
        return Parse(server, client) with { TargetUnreachable = unreachable };
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try { await _session.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }

    /// <summary>Reads the server bytes like HandshakeProbe does; after a HelloRetryRequest, reads the second ServerHello too.</summary>
    internal static ObservedHandshake Parse(byte[] server, byte[] client)
    {
        var reassembler = new HandshakeReassembler(ScanLimits.Default);
        reassembler.Append(server);
        var flight = new ServerFlight();
        var retry = false;
        while (reassembler.TryReadMessage(out var message) == ParseStatus.Complete)
        {
            if (message!.ContentType == TlsContentType.ChangeCipherSpec)
            {
                continue; // RFC 8446 §D.4 middlebox-compatibility CCS after a HelloRetryRequest
            }

            if (!flight.Accept(message))
            {
                continue;
            }

            if (flight.Result.Outcome == HandshakeOutcome.HelloRetryRequest && !retry)
            {
                retry = true;
                flight = new ServerFlight();
                continue;
            }

            break;
        }

        var result = flight.Result;
        return new ObservedHandshake(result.ServerHello, retry, result, client);
    }

    private async Task RelayOneAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync();
        using var server = new TcpClient(_target.AddressFamily) { NoDelay = true };
        await server.ConnectAsync(_target);
        var c = client.GetStream();
        var s = server.GetStream();
        var up = PumpAsync(c, s, _fromClient, server.Client);
        var down = PumpAsync(s, c, _fromServer, client.Client);
        await Task.WhenAll(up, down);
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, MemoryStream record, Socket toSocket)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer)) > 0)
            {
                lock (record)
                {
                    if (record.Length < MaxRecorded) record.Write(buffer, 0, n);
                }

                await to.WriteAsync(buffer.AsMemory(0, n));
            }

            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            try { toSocket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        }
    }
}
