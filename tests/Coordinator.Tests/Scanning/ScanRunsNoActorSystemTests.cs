using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// Issue 11: <c>xmppscan scan</c> runs the census's steps without the census's runtime — no actor system, no journal
/// (a one-node actor system costs seconds and ~200 MB before its first connection). Checked from outside on the real
/// process: while its session is connected to a server, the process has the scanner's assemblies mapped and no Akka one.
/// </summary>
public sealed class ScanRunsNoActorSystemTests
{
    private static readonly string Dll = Path.Combine(RepoPaths.Root, "src", "Coordinator", "bin",
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0", "xmppscan.dll");

    [Fact]
    public async Task ScanInItsSession_hasNoAkkaAssemblyLoaded()
    {
        // A server that accepts and never speaks: the scan sits in its session step (the pipeline is running) until
        // the test ends it; no clock decides anything.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])[Dll, "scan", "--dns", "127.0.0.1", "--timeout", "300", "--connect", $"127.0.0.1:{port}", "silent.test"])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        try
        {
            using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var maps = await File.ReadAllLinesAsync($"/proc/{process.Id}/maps");
            var assemblies = maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
                .Where(p => p.EndsWith(".dll", StringComparison.Ordinal)).Select(Path.GetFileName).Distinct().ToList();

            // The check sees assemblies at all: the scan's own steps are mapped.
            Assert.Contains("XmppScanCluster.ScanNode.dll", assemblies);
            Assert.DoesNotContain(assemblies, a => a!.StartsWith("Akka", StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
