using System.CommandLine;
using System.Net;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>xmppscan node --store … --region R</c>: a scan node that leases shards of its region until stopped.</summary>
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
        var inFlight = new Option<int>("--targets-in-flight") { Description = "Targets scanned at once", DefaultValueFactory = _ => 16 };
        var leaseSeconds = new Option<double>("--lease-seconds")
        {
            Description = "Shard lease length; a dead node's shards are taken over after it", DefaultValueFactory = _ => 120,
        };
        var pollSeconds = new Option<double>("--poll-seconds") { Description = "Wait between lease attempts when idle", DefaultValueFactory = _ => 2 };
        var exitWhenDone = new Option<string?>("--exit-when-done") { Description = "Exit once census NAME is finished in this region", HelpName = "NAME" };
        var blocklist = new Option<string?>("--blocklist") { Description = "File of domains and CIDRs never contacted (one per line)", HelpName = "FILE" };
        var connectionLog = new Option<string?>("--connection-log") { Description = "Append every connection's open/close time to FILE", HelpName = "FILE" };

        var metrics = new Option<string?>("--metrics")
        {
            Description = "Serve the node's counters as Prometheus text on http://ADDRESS:PORT/metrics", HelpName = "ADDRESS:PORT",
        };
        var dns = new Option<string[]>("--dns") { Description = "DNS resolver ADDRESS[:PORT] for this node instead of the census's (repeatable)", HelpName = "ADDRESS[:PORT]" };
        var command = new Command("node", "Run a scan node: register, lease shards of a region, scan their targets, renew, give back on exit");
        foreach (var option in new Option[] { store, region, nodeId, inFlight, leaseSeconds, pollSeconds, exitWhenDone, blocklist, connectionLog, dns, metrics })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(inFlight) is < 1 or > 1024 || parse.GetValue(leaseSeconds) is < 1 or > 3600 || parse.GetValue(pollSeconds) is <= 0 or > 600)
            {
                await stderr.WriteLineAsync("xmppscan node: --targets-in-flight 1-1024, --lease-seconds 1-3600, --poll-seconds 0-600").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            IPEndPoint? metricsAt = null;
            if (parse.GetValue(metrics) is { } listen && !IPEndPoint.TryParse(listen, out metricsAt))
            {
                await stderr.WriteLineAsync($"xmppscan node: --metrics {listen}: not ADDRESS:PORT").ConfigureAwait(false);
                return ExitCodes.Usage;
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
                    LeaseDuration = TimeSpan.FromSeconds(parse.GetValue(leaseSeconds)),
                    PollInterval = TimeSpan.FromSeconds(parse.GetValue(pollSeconds)),
                    HeartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, Math.Min(10, parse.GetValue(leaseSeconds) / 3))),
                    ExitWhenCensusDone = census,
                    Blocklist = blocked,
                    ConnectionLogPath = parse.GetValue(connectionLog),
                };
                await using var served = metricsAt is null ? null : await MetricsServer.StartAsync(metricsAt, ct).ConfigureAwait(false);
                if (served is not null)
                {
                    await stderr.WriteLineAsync($"node metrics on {served.Url}/metrics").ConfigureAwait(false);
                }

                var worker = new NodeWorker(new StoreNodeAdapter(opened, parse.GetValue(dns) is { Length: > 0 } d ? d : null), options, stderr);
                await worker.RunAsync(ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"node {options.NodeId}: scanned {worker.TargetsScanned} targets ({worker.StepsRun} steps)")
                    .ConfigureAwait(false);
                return ct.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success;
            }
        });
        return command;
    }
}
