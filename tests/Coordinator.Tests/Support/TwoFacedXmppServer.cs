using XmppScanCluster.TestKit;
using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// A scripted XMPP server (STARTTLS c2s or direct TLS) that behaves on a domain's first connection and turns
/// hostile on the later ones, for one domain only (issue 16): the first connection of every domain, and every
/// connection of the other domains, get a real TLS handshake (.NET's SslStream server: OpenSSL) and a normal
/// post-TLS stream; later connections for <c>hostileDomain</c> get the ClientHello read and handed to the hostile
/// transcript. The domain is the stream's <c>to</c> (STARTTLS) or the SNI (direct TLS). Listens on an address of
/// the engineer's free loopback block (<c>XMPPSCAN_FREE_NET</c>), else 127.0.0.1. With <c>chain</c>, the normal
/// handshakes send that certificate context (e.g. a leaf without its intermediate) instead of a self-signed one.
/// </summary>
internal sealed partial class TwoFacedXmppServer : IAsyncDisposable
{
    /// <summary>A hostile answer to <paramref name="hello"/> (the raw ClientHello record bytes).</summary>
    public delegate Task Hostile(HostileConnection connection, byte[] hello);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _directTls;
    private readonly string _hostileDomain;
    private readonly Hostile _hostile;
    private readonly X509Certificate2 _certificate;
    private readonly SslStreamCertificateContext? _chain;
    private readonly Dictionary<string, int> _connections = [];
    private readonly Task _loop;
    private volatile string _lastDomain = "";

    public TwoFacedXmppServer(bool directTls, string hostileDomain, Hostile hostile, SslStreamCertificateContext? chain = null)
    {
        _chain = chain;
        _directTls = directTls;
        _hostileDomain = hostileDomain;
        _hostile = hostile;
        _certificate = SelfSigned();
        var net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET");
        Address = net is { Length: > 0 } ? IPAddress.Parse(net + ".16." + (directTls ? "2" : "1")) : IPAddress.Loopback;
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public IPAddress Address { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary><c>--connect</c> argument.</summary>
    public string Connect => $"{Address}:{Port}";

    /// <summary>Connections that played the hostile transcript.</summary>
    public int HostileConnections;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stop.Dispose();
        _certificate.Dispose();
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
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(60));
                var network = client.GetStream();
                string domain;
                byte[] hello;
                if (_directTls)
                {
                    hello = await ReadClientHelloAsync(network, deadline.Token);
                    // SSLv2 and SSLv3 hellos carry no SNI: they belong to the domain being scanned (one at a time).
                    domain = ClientHello.ServerName(hello) ?? _lastDomain;
                    _lastDomain = domain;
                }
                else
                {
                    domain = await StartTlsAsync(network, deadline.Token);
                    hello = [];
                }

                int count;
                lock (_connections)
                {
                    count = _connections[domain] = _connections.GetValueOrDefault(domain) + 1;
                }

                if (domain != _hostileDomain || count == 1)
                {
                    await NormalAsync(new PrefixStream(hello, network), deadline.Token);
                    return;
                }

                if (hello.Length == 0) hello = await ReadClientHelloAsync(network, deadline.Token);
                Interlocked.Increment(ref HostileConnections);
                await _hostile(new HostileConnection(client, network, deadline.Token), hello);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException
                                          or EndOfStreamException or AuthenticationException or InvalidOperationException)
            {
                // The scanner closes every probe connection after the server's first flight.
            }
        }
    }

    /// <summary>stream header → features (STARTTLS required) → &lt;starttls/&gt; → &lt;proceed/&gt;; the header and
    /// &lt;starttls/&gt; may come in one write (the scanner's pipelined preamble). Returns the stream's <c>to</c>.</summary>
    private static async Task<string> StartTlsAsync(Stream network, CancellationToken ct)
    {
        var text = await ReadUntilAsync(network, t => HeaderEnd().IsMatch(t), ct);
        var to = ToAttribute().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
        await SendAsync(network, Header(to) + StartTlsRequired, ct);
        if (!StartTls().IsMatch(text))
        {
            await ReadUntilAsync(network, t => StartTls().IsMatch(t), ct);
        }

        await SendAsync(network, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", ct);
        return to;
    }

    /// <summary>A real TLS handshake, then the restarted stream answered with post-TLS features, until the client leaves.</summary>
    private async Task NormalAsync(Stream transport, CancellationToken ct)
    {
        await using var tls = new SslStream(transport, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _chain is null ? _certificate : null,
            ServerCertificateContext = _chain,
            ApplicationProtocols = _directTls ? [new SslApplicationProtocol("xmpp-client")] : null,
        }, ct);
        var text = await ReadUntilAsync(tls, t => HeaderEnd().IsMatch(t), ct);
        var to = ToAttribute().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
        await SendAsync(tls, Header(to) + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
            + "<mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>", ct);
        var buffer = new byte[1024];
        while (await tls.ReadAsync(buffer, ct) > 0)
        {
        }
    }

    private static async Task<string> ReadUntilAsync(Stream stream, Func<string, bool> done, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!done(text.ToString()))
        {
            // One byte at a time: nothing past the XMPP preamble may be taken from the TLS bytes that follow.
            if (await stream.ReadAsync(buffer, ct) == 0) throw new EndOfStreamException();
            text.Append((char)buffer[0]);
            if (text.Length > 8192) throw new IOException("preamble too long");
        }

        return text.ToString();
    }

    private static async Task SendAsync(Stream stream, string text, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>One TLS record holding the whole ClientHello (the scanner's hellos fit in one), or one SSLv2 record.</summary>
    private static async Task<byte[]> ReadClientHelloAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header.AsMemory(0, 2), ct);
        if ((header[0] & 0x80) != 0)
        {
            var ssl2 = new byte[((header[0] & 0x7F) << 8) | header[1]];
            await stream.ReadExactlyAsync(ssl2, ct);
            return [header[0], header[1], .. ssl2];
        }

        await stream.ReadExactlyAsync(header.AsMemory(2, 3), ct);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await stream.ReadExactlyAsync(body, ct);
        return [.. header, .. body];
    }

    private static string Header(string from) =>
        $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='{from}' version='1.0'>";

    private const string StartTlsRequired =
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";

    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=two-faced.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    [GeneratedRegex(@"<stream:stream[^>]*>")]
    private static partial Regex HeaderEnd();

    [GeneratedRegex(@"\sto=['""]([^'""]+)['""]")]
    private static partial Regex ToAttribute();

    [GeneratedRegex(@"<starttls[^>]*(/>|></starttls>)")]
    private static partial Regex StartTls();

    /// <summary>A hostile connection: the socket (for a reset) and its stream.</summary>
    internal sealed class HostileConnection(TcpClient client, NetworkStream stream, CancellationToken ct)
    {
        public NetworkStream Stream => stream;

        public CancellationToken Token => ct;

        public async Task SendAsync(params byte[][] parts)
        {
            foreach (var p in parts) await stream.WriteAsync(p, ct);
            await stream.FlushAsync(ct);
        }

        /// <summary>Closes with a TCP RST.</summary>
        public void Reset()
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
    }
}
