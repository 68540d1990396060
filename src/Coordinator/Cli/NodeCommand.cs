using System.CommandLine;
using System.Net;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>xmppscan node --store … --region R --seeds HOST:PORT,…</c>: a member of the region's cluster that hosts
/// address-shard entities (and maybe the region's feeder singleton) until stopped.</summary>
public static class NodeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new Option<string>("--store")
        {
            Description = "Census store: sqlite:PATH or postgres://user@host:port/database", DefaultValueFactory = _ => "xmppscan.db",
        };
        var region = new Option<string>("--region") { Description = "Vantage region this node scans from", DefaultValueFactory = _ => "default" };
        var nodeId = new Option<string?>("--node-id") { Description = "Unique node name (default: host-pid)" };
        var inFlight = new Option<int?>("--targets-in-flight") { Description = "Targets scanned at once, 1-1024. " + InFlightHelp.Text, HelpName = "N" };
        var seeds = new Option<string?>("--seeds")
        {
            Description = "Seed nodes of the region's cluster, HOST:PORT[,…] (none: this node starts a cluster of its own)", HelpName = "HOST:PORT,…",
        };
        var hostname = new Option<string>("--hostname") { Description = "Address this node listens on and is reached at", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Cluster port (0: any free one)", DefaultValueFactory = _ => 0 };
        var splitBrain = new Option<string>("--split-brain")
        {
            Description = "Split-brain resolver: keep-majority (3 or more nodes) or keep-oldest (1-2 nodes)", DefaultValueFactory = _ => "keep-majority",
        };
        var exitWhenDone = new Option<string?>("--exit-when-done") { Description = "Exit once census NAME is finished in this region", HelpName = "NAME" };
        var blocklist = new Option<string?>("--blocklist") { Description = "File of domains and CIDRs never contacted (one per line)", HelpName = "FILE" };
        var connectionLog = new Option<string?>("--connection-log") { Description = "Append every connection's open/close time to FILE", HelpName = "FILE" };

        var metrics = new Option<string?>("--metrics")
        {
            Description = "Serve the node's counters as Prometheus text on http://ADDRESS:PORT/metrics", HelpName = "ADDRESS:PORT",
        };
        var dns = new Option<string[]>("--dns") { Description = "DNS resolver ADDRESS[:PORT] for this node instead of the census's (repeatable)", HelpName = "ADDRESS[:PORT]" };
        var command = new Command("node", "Run a scan node: join the region's cluster, host address-shard entities, scan their targets; leave on exit");
        foreach (var option in new Option[] { store, region, nodeId, inFlight, seeds, hostname, port, splitBrain, exitWhenDone, blocklist, connectionLog, dns, metrics })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(inFlight) is < 1 or > InFlightSizing.Max || parse.GetValue(port) is < 0 or > 65535)
            {
                await stderr.WriteLineAsync("xmppscan node: --targets-in-flight 1-1024, --port 0-65535").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (parse.GetValue(splitBrain) is not ("keep-majority" or "keep-oldest"))
            {
                await stderr.WriteLineAsync($"xmppscan node: --split-brain {parse.GetValue(splitBrain)}: keep-majority or keep-oldest").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var seedList = (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var seed in seedList)
            {
                if (!ClusterOptions.TryParseSeed(seed, out _, out var seedError))
                {
                    await stderr.WriteLineAsync($"xmppscan node: --seeds: {seedError}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            IPEndPoint? metricsAt = null;
            if (parse.GetValue(metrics) is { } listen && !IPEndPoint.TryParse(listen, out metricsAt))
            {
                await stderr.WriteLineAsync($"xmppscan node: --metrics {listen}: not ADDRESS:PORT").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // Checked before the node joins: a log it cannot write would fail every connection's close.
            if (parse.GetValue(connectionLog) is { } logPath)
            {
                CliFiles.CheckWritable("--connection-log", logPath);
            }

            IReadOnlyList<string> blocked = [];
            if (parse.GetValue(blocklist) is { } file)
            {
                blocked = await CliFiles.ReadLinesAsync("--blocklist", file, ct).ConfigureAwait(false);
            }

            var opened = await CliStore.OpenAsync(parse.GetValue(store)!, create: false, ct).ConfigureAwait(false);

            await using (opened.ConfigureAwait(false))
            {
                Guid? census = null;
                if (parse.GetValue(exitWhenDone) is { } name)
                {
                    census = (await opened.FindCensusAsync(name, ct).ConfigureAwait(false))?.CensusId;
                    if (census is null)
                    {
                        await stderr.WriteLineAsync($"xmppscan node: no census named '{name}'").ConfigureAwait(false);
                        return ExitCodes.Usage;
                    }
                }

                var options = new NodeOptions
                {
                    NodeId = parse.GetValue(nodeId) ?? $"{Environment.MachineName}-{Environment.ProcessId}",
                    Region = parse.GetValue(region)!,
                    TargetsInFlight = parse.GetValue(inFlight),
                    Blocklist = blocked,
                    DnsOverride = parse.GetValue(dns) is { Length: > 0 } d ? d : null,
                    ConnectionLogPath = parse.GetValue(connectionLog),
                };
                await using var served = metricsAt is null ? null : await MetricsServer.StartAsync(metricsAt, ct).ConfigureAwait(false);
                if (served is not null)
                {
                    await stderr.WriteLineAsync($"node metrics on {served.Url}/metrics").ConfigureAwait(false);
                }

                var clusterOptions = new ClusterOptions
                {
                    Hostname = parse.GetValue(hostname)!,
                    Port = parse.GetValue(port),
                    Seeds = seedList,
                    SplitBrain = parse.GetValue(splitBrain) == "keep-oldest" ? SplitBrainStrategy.KeepOldest : SplitBrainStrategy.KeepMajority,
                };
                var runtime = new NodeRuntime(opened, options, stderr);
                var member = await ScanClusterNode.RunUntilFinishedAsync(runtime, clusterOptions, census, ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"node {options.NodeId}: scanned {runtime.TargetsScanned} targets ({runtime.StepsRun} steps)")
                    .ConfigureAwait(false);
                if (!member)
                {
                    // Downed by the split-brain resolver (or the cluster shut this node out): its supervisor restarts it.
                    await stderr.WriteLineAsync("xmppscan node: removed from the cluster; restart the node to join again").ConfigureAwait(false);
                    return ExitCodes.SomeTargetsFailed;
                }

                return ct.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success;
            }
        });
        return command;
    }
}
