using System.Diagnostics;
using System.Net;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Another region's view of DNS: a dnsmasq on a loopback address of its own, serving the testbed's records with some
/// host records replaced (the attacker's addresses), optionally with more configuration lines (e.g. <c>log-queries</c>:
/// every question it was asked is then in <see cref="Queries"/>). Killed on dispose.
/// </summary>
internal sealed class RegionDns : IAsyncDisposable
{
    private static readonly string[] Kept = ["srv-host=", "host-record=", "dns-rr=", "txt-record=", "cname=", "address=", "local=", "no-negcache", "domain-needed"];
    private readonly Process _process;
    private readonly string _directory;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log;

    private RegionDns(Process process, string directory, IPEndPoint endPoint, System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
        _log = log;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>With <c>log-queries</c>: each question asked so far as (type, name), e.g. ("SRV", "_xmpp-client._tcp.a.test").</summary>
    public IReadOnlyList<(string Type, string Name)> Queries => [.. _log
        .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"query\[(\w+)\] (\S+) from"))
        .Where(m => m.Success && !m.Groups[2].Value.EndsWith(".region.test", StringComparison.Ordinal))
        .Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    /// <summary><see cref="Queries"/> once every question answered so far is in it: dnsmasq logs a question as it answers
    /// it, but its stderr is read here asynchronously, so a client can have its last answer while that line is still in
    /// the pipe. A marker question asked now is logged after all of them; once its line is read, so are theirs.</summary>
    public async Task<IReadOnlyList<(string Type, string Name)>> SettledQueriesAsync()
    {
        var marker = $"settled-{Guid.NewGuid():N}.region.test";
        var options = new DnsResolverOptions { Servers = [EndPoint], Timeout = TimeSpan.FromSeconds(2), Retries = 2 };
        await new DnsResolver(options).LookupAddressesAsync(marker, default); // any answer: only its log line matters
        await CensusTestbed.WaitUntilAsync(() => Task.FromResult(_log.Any(l => l.Contains($" {marker} from", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(60), $"dnsmasq's log line for {marker}");
        return Queries;
    }

    public static async Task<RegionDns> StartAsync(string testbedConf, IReadOnlyDictionary<string, string> replacedLines, string address,
        IReadOnlyList<string>? extraLines = null)
    {
        var testbed = File.ReadAllLines(testbedConf);
        Assert.All(replacedLines.Keys, k => Assert.Contains(k, testbed));
        var lines = testbed.Where(l => Kept.Any(k => l.StartsWith(k, StringComparison.Ordinal)))
            .Select(l => replacedLines.TryGetValue(l, out var r) ? r : l).ToList();
        var directory = Directory.CreateTempSubdirectory("xmppscan-regiondns-").FullName;
        var conf = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(conf, ["host-record=ready.region.test,127.0.0.1", .. lines, .. extraLines ?? []]);
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 60_000);
            var start = new ProcessStartInfo("/usr/sbin/dnsmasq") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", $"--conf-file={conf}", $"--listen-address={address}",
                         "--bind-interfaces", $"--port={port}", "--pid-file=", "--user=", "--log-facility=-" })
            {
                start.ArgumentList.Add(a);
            }

            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var process = new Process { StartInfo = start };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    log.Enqueue(line);
                }
            };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
            var options = new DnsResolverOptions { Servers = [endPoint], Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 };
            for (var i = 0; i < 50 && !process.HasExited; i++)
            {
                if ((await new DnsResolver(options).LookupAddressesAsync("ready.region.test", default)).Status == DnsStatus.Ok)
                {
                    return new RegionDns(process, directory, endPoint, log);
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
