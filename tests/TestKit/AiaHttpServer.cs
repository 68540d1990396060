using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppScanCluster.TestKit;

/// <summary>
/// A CA's web server for AIA caIssuers URLs, as a transcript: read one request's headers, answer with a status and a
/// body, close; counts the requests (a test without <c>--fetch-aia</c> checks none came). Used by the AIA completion
/// tests and the census test.
/// </summary>
public sealed class AiaHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _status;
    private int _requests;

    private AiaHttpServer(string address, string status, byte[]? body)
    {
        _status = status;
        Body = body ?? [];
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start();
        Url = $"http://{address}:{((IPEndPoint)_listener.LocalEndpoint).Port}/issuer.cer";
        _loop = ServeAsync();
    }

    public string Url { get; }

    public byte[] Body { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static AiaHttpServer Start(string address, string status, byte[]? body) => new(address, status, body);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using (client)
            try
            {
                var stream = client.GetStream();
                var request = new List<byte>();
                var buffer = new byte[1024];
                while (!Encoding.ASCII.GetString([.. request]).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) break;
                    request.AddRange(buffer.AsSpan(0, n).ToArray());
                }

                Interlocked.Increment(ref _requests);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {_status}\r\nContent-Type: application/pkix-cert\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, _stop.Token);
                await stream.WriteAsync(Body, _stop.Token);
            }
            catch (IOException)
            {
                // The client stopped reading (the oversized answer): that is the point of that test.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // stopping
        }

        _stop.Dispose();
    }
}
