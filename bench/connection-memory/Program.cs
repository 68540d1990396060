using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using XmppScanCluster.ScanNode;
using XmppScanCluster.ScanNode.SessionEngine;

// Opens N TLS client connections to 127.0.0.1:PORT (server.py), holds them authenticated and idle, and prints how much
// this process's anonymous memory (/proc/self/status RssAnon) and managed heap grew per connection. CLIENT is sslstream
// (.NET's SslStream on OpenSSL) or engine (the session engine, src/ScanNode/SessionEngine).
if (args.Length != 3 || !int.TryParse(args[0], out var n) || !int.TryParse(args[1], out var port) || args[2] is not ("sslstream" or "engine"))
{
    Console.Error.WriteLine("usage: ConnectionMemoryBench N PORT sslstream|engine");
    return 2;
}

Func<int, Task<Stream>> open = args[2] == "engine" ? OpenEngineAsync : OpenAsync;
var warm = new List<Stream>();
for (var i = 0; i < 20; i++)
{
    warm.Add(await open(port)); // JIT, OpenSSL's one-time state, the thread pool
}

warm.ForEach(s => s.Dispose());
var (anonBefore, managedBefore, committedBefore) = Measure();
var held = new List<Stream>(n);
for (var i = 0; i < n; i++)
{
    held.Add(await open(port));
}

var (anonAfter, managedAfter, committedAfter) = Measure();
Console.WriteLine($"{args[2]}: {n} connections held: anonymous memory +{(anonAfter - anonBefore) / 1024.0:F1} MiB = " +
    $"{(anonAfter - anonBefore) / (double)n:F1} KiB each, of which managed {(managedAfter - managedBefore) / (double)n:F1} KiB live, " +
    $"GC committed {(committedAfter - committedBefore) / (double)n:F1} KiB; outside the GC " +
    $"{(anonAfter - anonBefore - (committedAfter - committedBefore)) / (double)n:F1} KiB");
GC.KeepAlive(held);
return 0;

static async Task<Stream> OpenEngineAsync(int port)
{
    var client = new TcpClient();
    await client.ConnectAsync(IPAddress.Loopback, port);
    var session = await EngineTlsClient.HandshakeAsync(client.GetStream(), "localhost", null, ScanLimits.Default, [], CancellationToken.None);
    return session.Stream;
}

static async Task<Stream> OpenAsync(int port)
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

static (long AnonKiB, long ManagedKiB, long CommittedKiB) Measure()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var anon = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
    var managed = GC.GetTotalMemory(true) / 1024;
    return (long.Parse(anon.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]), managed, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024);
}
