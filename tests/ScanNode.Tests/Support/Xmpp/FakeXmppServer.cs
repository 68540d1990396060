using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>
/// A scripted XMPP server on 127.0.0.1 (ephemeral port) for what no real server produces on demand. The
/// script reads like a transcript (the Npgsql PgServerMock idea):
/// <code>await c.ExpectStreamHeaderAsync(); await c.SendAsync(Xml.Header + Xml.StartTlsRequired);
/// await c.ExpectStartTlsAsync(); await c.SendAsync(Xml.Proceed); await c.StartTlsAsync(cert);</code>
/// The script runs for the first accepted connection; <see cref="Completion"/> surfaces its failures.
/// </summary>
internal sealed class FakeXmppServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));

    private FakeXmppServer(Func<FakeXmppConnection, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Completion = RunAsync(script);
    }

    /// <summary>Starts listening and runs <paramref name="script"/> on the first connection.</summary>
    public static FakeXmppServer Start(Func<FakeXmppConnection, Task> script) => new(script);

    public IPAddress Address => IPAddress.Loopback;
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The script's outcome: awaiting it rethrows a failed expectation.</summary>
    public Task Completion { get; }

    /// <summary>The connection the script ran on (set once accepted).</summary>
    public FakeXmppConnection? Connection { get; private set; }

    /// <summary>An endpoint for this server; the domain is what goes into <c>to</c> and SNI.</summary>
    public XmppEndpoint Endpoint(string domain = "example.test", XmppMode mode = XmppMode.C2S,
        TlsTransport transport = TlsTransport.StartTls) =>
        new(domain, mode, transport, "xmpp." + domain, Address, Port, 0, 0, EndpointSource.Explicit);

    private async Task RunAsync(Func<FakeXmppConnection, Task> script)
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        client.NoDelay = true;
        await using var connection = new FakeXmppConnection(client.GetStream(), _stop.Token);
        Connection = connection;
        await script(connection);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _stop.CancelAsync();
        try
        {
            await Completion.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Tests that care await Completion themselves; disposal only must not hang.
        }
        _stop.Dispose();
    }
}
