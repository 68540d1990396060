using System.Diagnostics;
using System.Net;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Another region's view of DNS: a dnsmasq on a loopback address of its own, serving the testbed's records with some
/// host records replaced (the attacker's addresses). Killed on dispose.
/// </summary>
internal sealed class RegionDns : IAsyncDisposable
{
    private static readonly string[] Kept = ["srv-host=", "host-record=", "dns-rr=", "txt-record=", "cname=", "address=", "local=", "no-negcache", "domain-needed"];
    private readonly Process _process;
    private readonly string _directory;

    private RegionDns(Process process, string directory, IPEndPoint endPoint)
    {
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<RegionDns> StartAsync(string testbedConf, IReadOnlyDictionary<string, string> replacedLines, string address)
    {
        var testbed = File.ReadAllLines(testbedConf);
        Assert.All(replacedLines.Keys, k => Assert.Contains(k, testbed));
        var lines = testbed.Where(l => Kept.Any(k => l.StartsWith(k, StringComparison.Ordinal)))
            .Select(l => replacedLines.TryGetValue(l, out var r) ? r : l).ToList();
        var directory = Directory.CreateTempSubdirectory("xmppscan-regiondns-").FullName;
        var conf = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(conf, ["host-record=ready.region.test,127.0.0.1", .. lines]);
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 60_000);
            var start = new ProcessStartInfo("/usr/sbin/dnsmasq") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", $"--conf-file={conf}", $"--listen-address={address}",
                         "--bind-interfaces", $"--port={port}", "--pid-file=", "--user=", "--log-facility=-" })
            {
                start.ArgumentList.Add(a);
            }

            var process = Process.Start(start)!;
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
            var options = new DnsResolverOptions { Servers = [endPoint], Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 };
            for (var i = 0; i < 50 && !process.HasExited; i++)
            {
                if ((await new DnsResolver(options).LookupAddressesAsync("ready.region.test", default)).Status == DnsStatus.Ok)
                {
                    return new RegionDns(process, directory, endPoint);
                }
            }

            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            if (attempt == 4) throw new InvalidOperationException("dnsmasq for the region did not start");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
