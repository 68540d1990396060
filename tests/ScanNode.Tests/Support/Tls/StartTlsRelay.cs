using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// An XMPP STARTTLS front on 127.0.0.1 for any number of connections: each one plays the transcript
/// "expect stream header → send features (STARTTLS required) → expect &lt;starttls/&gt; → send &lt;proceed/&gt;",
/// then relays the TLS bytes both ways to a TLS server on 127.0.0.1 (e.g. <c>openssl s_server</c>).
/// </summary>
internal sealed class StartTlsRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _tlsPort;
    private readonly Task _loop;

    public StartTlsRelay(int tlsPort)
    {
        _tlsPort = tlsPort;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections that reached &lt;proceed/&gt;.</summary>
    public int Proceeded;

    /// <summary>Stream headers the clients sent.</summary>
    public List<string> Headers { get; } = [];

    public XmppEndpoint Endpoint(string domain, XmppMode mode = XmppMode.C2S) =>
        new(domain, mode, TlsTransport.StartTls, "xmpp." + domain, IPAddress.Loopback, Port, 0, 0, EndpointSource.Explicit);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var network = client.GetStream();
                await using var xmpp = new FakeXmppConnection(network, _stop.Token);
                var header = await xmpp.ExpectStreamHeaderAsync();
                lock (Headers) Headers.Add(header);
                await xmpp.SendAsync(Xml.Header() + Xml.StartTlsRequired);
                await xmpp.ExpectStartTlsAsync();
                // Counted before <proceed/> goes out, so a test that reads it after its client returned cannot race it.
                Interlocked.Increment(ref Proceeded);
                await xmpp.SendAsync(Xml.Proceed);
                using var tls = new TcpClient();
                await tls.ConnectAsync(IPAddress.Loopback, _tlsPort, _stop.Token);
                var backend = tls.GetStream();
                var up = network.CopyToAsync(backend, _stop.Token);
                var down = backend.CopyToAsync(network, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
            {
                // The scanner closes every probe connection after the server's first flight.
            }
        }
    }
}
