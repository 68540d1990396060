using XmppScanCluster.TestKit;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>One scripted server-side connection: expectations on what the client sent, and what to send back.
/// Matching text here is fine: this is the fake, the scanner under test must not do it.</summary>
internal sealed class FakeXmppConnection(Stream network, CancellationToken stop) : IAsyncDisposable
{
    private static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(10);
    private Stream _stream = network;
    private readonly List<byte> _pending = [];
    private readonly StringBuilder _received = new();

    /// <summary>Everything the client sent in the clear or inside TLS (decrypted), as text.</summary>
    public string Received => _received.ToString();

    /// <summary>The SNI the client sent, once <see cref="StartTlsAsync"/> ran.</summary>
    public string? ClientSni { get; private set; }

    /// <summary>The first bytes the client sent after <c>&lt;proceed/&gt;</c> (see <see cref="PeekAsync"/>).</summary>
    public byte[] Peeked { get; private set; } = [];

    /// <summary>Waits for the client's stream header and returns it.</summary>
    public async Task<string> ExpectStreamHeaderAsync()
    {
        await ExpectAsync("<stream:stream");
        return "<stream:stream" + await ExpectAsync(">");
    }

    /// <summary>Waits for <c>&lt;starttls .../&gt;</c>.</summary>
    public async Task ExpectStartTlsAsync()
    {
        await ExpectAsync("<starttls");
        await ExpectAsync("/>");
    }

    /// <summary>Reads until <paramref name="marker"/> has arrived; returns what came up to and including it.</summary>
    public async Task<string> ExpectAsync(string marker)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ExpectTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            string text = Encoding.UTF8.GetString(_pending.ToArray());
            int at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                string consumed = text[..(at + marker.Length)];
                _pending.RemoveRange(0, Encoding.UTF8.GetByteCount(consumed));
                return consumed;
            }
            int n = await _stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) throw new EndOfStreamException($"client closed while the fake server expected '{marker}'; got: {text}");
            _received.Append(Encoding.UTF8.GetString(buffer, 0, n));
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>Reads (and keeps) the next <paramref name="count"/> raw bytes, e.g. the start of the ClientHello.</summary>
    public async Task<byte[]> PeekAsync(int count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(ExpectTimeout);
        var buffer = new byte[4096];
        while (_pending.Count < count)
        {
            int n = await _stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) throw new EndOfStreamException("client closed before sending " + count + " bytes");
            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        Peeked = _pending.GetRange(0, count).ToArray();
        return Peeked;
    }

    public async Task SendAsync(string xml) => await SendBytesAsync(Encoding.UTF8.GetBytes(xml));

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, stop);
        await _stream.FlushAsync(stop);
    }

    /// <summary>Sends <paramref name="xml"/> in pieces of the given sizes (cycled), flushing and pausing between them.</summary>
    public async Task SendInPiecesAsync(string xml, Func<int, int> pieceSize)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        int offset = 0;
        for (int i = 0; offset < bytes.Length; i++)
        {
            int n = Math.Min(Math.Max(1, pieceSize(i)), bytes.Length - offset);
            await SendBytesAsync(bytes[offset..(offset + n)]);
            offset += n;
            if (i % 8 == 0) await Task.Delay(1, stop);
        }
    }

    /// <summary>Becomes a TLS server on the same connection (after <c>&lt;proceed/&gt;</c>, or from the start for
    /// direct TLS), presenting <paramref name="leaf"/> and <paramref name="extra"/> in that order.</summary>
    public async Task StartTlsAsync(X509Certificate2 leaf, X509Certificate2Collection? extra = null,
        List<SslApplicationProtocol>? alpn = null)
    {
        var prefixed = new PrefixStream(_pending.ToArray(), _stream);
        _pending.Clear();
        var tls = new SslStream(prefixed, leaveInnerStreamOpen: false);
        var context = SslStreamCertificateContext.Create(leaf, extra ?? [], offline: true);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            ApplicationProtocols = alpn,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, stop);
        ClientSni = tls.TargetHostName;
        _stream = tls;
    }

    /// <summary>Closes the connection (EOF for the client).</summary>
    public async Task CloseAsync() => await _stream.DisposeAsync();

    /// <summary>Keeps the connection open without sending anything until the test ends.</summary>
    public async Task HangAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
