using System.Net;
using System.Net.Security;
using System.Net.Sockets;

// Opens N TLS client connections to 127.0.0.1:PORT (server.py), holds them authenticated and idle, and prints how much
// this process's anonymous memory (/proc/self/status RssAnon) and managed heap grew per connection.
if (args.Length != 2 || !int.TryParse(args[0], out var n) || !int.TryParse(args[1], out var port))
{
    Console.Error.WriteLine("usage: ConnectionMemoryBench N PORT");
    return 2;
}

var warm = new List<SslStream>();
for (var i = 0; i < 20; i++)
{
    warm.Add(await OpenAsync(port)); // JIT, OpenSSL's one-time state, the thread pool
}

warm.ForEach(s => s.Dispose());
var (anonBefore, managedBefore) = Measure();
var held = new List<SslStream>(n);
for (var i = 0; i < n; i++)
{
    held.Add(await OpenAsync(port));
}

var (anonAfter, managedAfter) = Measure();
Console.WriteLine($"{n} connections held: anonymous memory +{(anonAfter - anonBefore) / 1024.0:F1} MiB = " +
    $"{(anonAfter - anonBefore) / (double)n:F1} KiB each, of which managed {(managedAfter - managedBefore) / (double)n:F1} KiB");
GC.KeepAlive(held);
return 0;

static async Task<SslStream> OpenAsync(int port)
{
    var client = new TcpClient();
    await client.ConnectAsync(IPAddress.Loopback, port);
    var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
    {
        TargetHost = "localhost",
        RemoteCertificateValidationCallback = (_, _, _, _) => true, // a self-signed loopback server: trust is not measured
    });
    return tls;
}

static (long AnonKiB, long ManagedKiB) Measure()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var anon = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
    return (long.Parse(anon.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]), GC.GetTotalMemory(true) / 1024);
}
