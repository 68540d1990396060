using System.Diagnostics;
using System.Net;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns.Support;

/// <summary>
/// A real dnsmasq on a loopback address (127.2.0.53 by default) and a random high port, fed a temporary
/// configuration, in the foreground, as a child of the test. Nothing is installed: a missing binary is a
/// clear failure. Disposing kills it and removes the temporary directory.
/// </summary>
internal sealed class DnsmasqServer : IAsyncDisposable
{
    internal const string Binary = "/usr/sbin/dnsmasq";
    internal const string DefaultAddress = "127.2.0.53";
    private const string ReadyName = "ready.dnsmasq.test";

    private readonly string _directory;
    private readonly StringWriterLog _log;

    private DnsmasqServer(Process process, IPEndPoint endPoint, string directory, StringWriterLog log)
    {
        Process = process;
        EndPoint = endPoint;
        _directory = directory;
        _log = log;
    }

    internal Process Process { get; }

    internal IPEndPoint EndPoint { get; }

    internal string Log => _log.Text;

    /// <summary>The flags every start uses; only the config file, address and port vary.</summary>
    internal static string[] Arguments(string configFile, string address, int port) =>
    [
        "--keep-in-foreground",       // a child we can wait for and kill
        "--no-resolv",                // no upstream servers: nothing ever leaves loopback
        "--no-hosts",                 // ignore /etc/hosts
        "--no-poll",
        $"--conf-file={configFile}",  // only our config, never /etc/dnsmasq.conf
        $"--listen-address={address}",
        "--bind-interfaces",          // bind only that address, not the wildcard
        $"--port={port}",
        "--pid-file=",                // no pid file
        "--user=",                    // do not change user
        "--log-facility=-",           // log to stderr, captured for failure messages
    ];

    internal static async Task<DnsmasqServer> StartAsync(IEnumerable<string> configLines, string address = DefaultAddress)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"{Binary} not found: this integration test needs dnsmasq (Debian package dnsmasq-base). It installs nothing itself.");
        }

        string directory = Directory.CreateTempSubdirectory("xmppscan-dnsmasq-").FullName;
        string configFile = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllLinesAsync(configFile, [$"host-record={ReadyName},127.0.0.1", .. configLines]);

        string lastLog = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = Random.Shared.Next(20_000, 60_000);
            var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in Arguments(configFile, address, port))
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            var log = new StringWriterLog(process);
            var server = new DnsmasqServer(process, new IPEndPoint(IPAddress.Parse(address), port), directory, log);
            if (await server.WaitUntilAnsweringAsync())
            {
                return server;
            }

            lastLog = log.Text;
            await server.StopProcessAsync();
        }

        Directory.Delete(directory, recursive: true);
        throw new InvalidOperationException($"dnsmasq did not start answering on {address}. Its log:\n{lastLog}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StopProcessAsync()
    {
        // The whole tree: dnsmasq forks a child per TCP connection (dnsmasq(8), --max-tcp-connections), and DnsClient
        // keeps its TCP connections open for reuse, so such a child outlives the parent and holds our output pipes.
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Process.WaitForExitAsync(timeout.Token);
    }

    private async Task<bool> WaitUntilAnsweringAsync()
    {
        var options = new DnsResolverOptions { Servers = [EndPoint], Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 };
        for (int i = 0; i < 50 && !Process.HasExited; i++)
        {
            var lookup = await new DnsResolver(options).LookupAddressesAsync(ReadyName, default);
            if (lookup.Status == DnsStatus.Ok)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Collects the child's stderr/stdout so a failed start can say why (e.g. "Address in use").</summary>
    private sealed class StringWriterLog
    {
        private readonly System.Text.StringBuilder _text = new();

        internal StringWriterLog(Process process)
        {
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        internal string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_text)
            {
                if (_text.Length < 64 * 1024)
                {
                    _text.AppendLine(line);
                }
            }
        }
    }
}
