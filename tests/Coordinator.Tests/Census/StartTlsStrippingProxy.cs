using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// The attacker on one region's path: a TCP relay on a loopback address of its own. On the STARTTLS port it removes
/// the <c>&lt;starttls …&gt;…&lt;/starttls&gt;</c> / <c>&lt;starttls/&gt;</c> element from the server's first
/// <c>&lt;stream:features&gt;</c> (buffered until complete, so a split read changes nothing) and relays everything else
/// byte for byte; other ports (direct TLS) are relayed untouched.
/// </summary>
internal sealed partial class StartTlsStrippingProxy : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<IPAddress, int> _clients = new();
    private int _stripped;

    public int Stripped => Volatile.Read(ref _stripped);

    /// <summary>The addresses clients connected from (a netlab host's own address when it came through the lab).</summary>
    public IReadOnlyCollection<IPAddress> Clients => [.. _clients.Keys];

    public static StartTlsStrippingProxy Start(IPAddress listen, IPAddress upstream, int stripPort, params int[] relayPorts)
    {
        var proxy = new StartTlsStrippingProxy();
        foreach (var port in relayPorts.Prepend(stripPort))
        {
            var listener = new TcpListener(listen, port);
            listener.Start();
            proxy._listeners.Add(listener);
            proxy._loops.Add(proxy.AcceptAsync(listener, new IPEndPoint(upstream, port), strip: port == stripPort));
        }

        return proxy;
    }

    private async Task AcceptAsync(TcpListener listener, IPEndPoint upstream, bool strip)
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

            _ = RelayAsync(client, upstream, strip);
        }
    }

    private async Task RelayAsync(TcpClient client, IPEndPoint upstream, bool strip)
    {
        using (client)
        using (var server = new TcpClient())
        {
            _clients.TryAdd(((IPEndPoint)client.Client.RemoteEndPoint!).Address, 0);
            try
            {
                await server.ConnectAsync(upstream, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = strip ? StripAsync(server.GetStream(), client.GetStream()) : server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Server → client: hold text from <c>&lt;stream:features</c> until <c>&lt;/stream:features&gt;</c>, strip, then relay raw.</summary>
    private async Task StripAsync(Stream from, Stream to)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0) return;
            pending.Append(chars, 0, decoder.GetChars(buffer, 0, read, chars, 0));
            var text = pending.ToString();
            var start = text.IndexOf("<stream:features", StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf("</stream:features>", start, StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            end += "</stream:features>".Length;
            var features = StartTlsElement().Replace(text[start..end], "");
            if (features.Length != end - start) Interlocked.Increment(ref _stripped);
            await to.WriteAsync(Encoding.UTF8.GetBytes(text[..start] + features + text[end..]), _stop.Token);
            await from.CopyToAsync(to, _stop.Token);
            return;
        }
    }

    [GeneratedRegex(@"<starttls\b[^>]*/>|<starttls\b[^>]*>.*?</starttls>", RegexOptions.Singleline)]
    private static partial Regex StartTlsElement();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var listener in _listeners) listener.Stop();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
