using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// A transcript-style fake TLS server on 127.0.0.1 (the Npgsql PgServerMock idea), for what no real server
/// here can produce: SSLv2, SSLv3 export, odd fragmentation. Each accepted connection plays the next script:
/// <c>ExpectClientHello → Send(bytes) → Close</c>.
/// </summary>
internal sealed class FakeTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<Func<Connection, Task>> _scripts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeTlsServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>ClientHellos (raw bytes) received, in order.</summary>
    public List<byte[]> ReceivedHellos { get; } = [];

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>The script for every connection once the queued ones are used up (a policy server).</summary>
    public Func<Connection, Task>? EveryConnection { get; set; }

    /// <summary>Adds the script for the next connection.</summary>
    public FakeTlsServer OnConnection(Func<Connection, Task> script)
    {
        lock (_scripts) _scripts.Enqueue(script);
        return this;
    }

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
            Func<Connection, Task>? script;
            lock (_scripts) _scripts.TryDequeue(out script);
            script ??= EveryConnection;
            Accepted++;
            using (client)
            using (_stop.Token.Register(client.Close)) // disposal never waits for a client still connected (a failed test's probe)
            {
                if (script is null) continue; // no script: close at once
                var c = new Connection(client.GetStream(), this) { Reset = () => { client.Client.LingerState = new LingerOption(true, 0); client.Client.Close(); } };
                try { await script(c); } catch (IOException) { } catch (SocketException) { } catch (ObjectDisposedException) { }
            }
        }
    }

    /// <summary>One accepted connection, driven by a script.</summary>
    internal sealed class Connection(NetworkStream stream, FakeTlsServer server)
    {
        /// <summary>Closes with a TCP RST (what intolerant servers and middleboxes do).</summary>
        public Action Reset { get; init; } = () => { };

        /// <summary>Reads one whole ClientHello: TLS records until the handshake message is complete, or one SSLv2 record.</summary>
        public async Task<byte[]> ExpectClientHelloAsync()
        {
            var data = new List<byte>();
            var buf = new byte[4096];
            while (!IsCompleteHello(data))
            {
                var n = await stream.ReadAsync(buf).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                if (n == 0) throw new IOException("client closed");
                data.AddRange(buf.AsSpan(0, n).ToArray());
            }

            var hello = data.ToArray();
            lock (server.ReceivedHellos) server.ReceivedHellos.Add(hello);
            return hello;
        }

        public async Task SendAsync(params byte[][] parts)
        {
            foreach (var p in parts) await stream.WriteAsync(p);
            await stream.FlushAsync();
        }

        /// <summary>Sends one byte at a time (a slow or fragmenting server).</summary>
        public async Task SendByteByByteAsync(byte[] data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                await stream.WriteAsync(data.AsMemory(i, 1));
                await stream.FlushAsync();
            }
        }

        /// <summary>Reads exactly one TLS record (after the ClientHello): its content type and payload.</summary>
        public async Task<(byte Type, byte[] Payload)> ExpectRecordAsync()
        {
            var header = await ReadExactlyAsync(5);
            var payload = await ReadExactlyAsync((header[3] << 8) | header[4]);
            return (header[0], payload);
        }

        /// <summary>Reads records until the client closes or goes quiet for <paramref name="quiet"/>; returns their types.</summary>
        public async Task<List<byte>> RecordTypesUntilQuietAsync(TimeSpan quiet)
        {
            var types = new List<byte>();
            while (true)
            {
                try
                {
                    var header = await ReadExactlyAsync(5).WaitAsync(quiet);
                    await ReadExactlyAsync((header[3] << 8) | header[4]);
                    types.Add(header[0]);
                }
                catch (Exception e) when (e is TimeoutException or IOException or EndOfStreamException)
                {
                    return types;
                }
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count)
        {
            var data = new byte[count];
            await stream.ReadExactlyAsync(data).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            return data;
        }

        /// <summary>Keeps the connection open and silent until the client gives up.</summary>
        public async Task StaySilentAsync()
        {
            var buf = new byte[256];
            while (await stream.ReadAsync(buf) > 0) { }
        }

        private static bool IsCompleteHello(List<byte> d)
        {
            if (d.Count < 2) return false;
            if ((d[0] & 0x80) != 0) return d.Count >= 2 + (((d[0] & 0x7F) << 8) | d[1]); // SSLv2 record
            // TLS: walk records until the handshake payload holds 4 + length bytes.
            var payload = 0;
            var need = -1;
            var i = 0;
            var bytes = d.ToArray();
            while (i + 5 <= bytes.Length)
            {
                var len = (bytes[i + 3] << 8) | bytes[i + 4];
                if (i + 5 + len > bytes.Length) return false;
                if (need < 0 && len >= 4) need = 4 + ((bytes[i + 6] << 16) | (bytes[i + 7] << 8) | bytes[i + 8]);
                payload += len;
                i += 5 + len;
                if (need >= 0 && payload >= need) return true;
            }

            return false;
        }
    }
}
