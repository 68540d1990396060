using System.CommandLine;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// <c>xmppscan census --targets FILE</c>: plans a census (discovery, shards by address) in the store and, unless
/// <c>--no-node</c>, scans it with an in-process node (the embedded default: SQLite at ./xmppscan.db). Run
/// again, it resumes the census of the same name.
/// </summary>
public static class CensusCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var targets = new Option<string>("--targets") { Description = "File with one domain per line (# comments)", Required = true, HelpName = "FILE" };
        var store = new Option<string>("--store") { Description = "sqlite:PATH (default ./xmppscan.db) or postgres://user@host:port/db", DefaultValueFactory = _ => "xmppscan.db" };
        var name = new Option<string?>("--name") { Description = "Census name (default: the targets file's name); the same name resumes" };
        var mode = new Option<string>("--mode") { Description = "c2s, s2s or both", DefaultValueFactory = _ => "c2s" };
        mode.AcceptOnlyFromAmong("c2s", "s2s", "both");
        var dns = new Option<string[]>("--dns") { Description = "DNS resolver ADDRESS[:PORT] (repeatable)", HelpName = "ADDRESS[:PORT]" };
        var trustAnchors = new Option<string[]>("--trust-anchors") { Description = "PEM file of extra trusted roots (repeatable)", HelpName = "FILE" };
        var noSystemTrust = new Option<bool>("--no-system-trust") { Description = "Trust only the --trust-anchors files" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds for a connect or a read", DefaultValueFactory = _ => 10 };
        var regions = new Option<string>("--regions") { Description = "Vantage regions to scan from, comma-separated", DefaultValueFactory = _ => "default" };
        var maxPerIp = new Option<int>("--max-per-ip") { Description = "Connections open at once to one address", DefaultValueFactory = _ => 1 };
        var spacing = new Option<double>("--spacing") { Description = "Seconds between two connection starts to one address", DefaultValueFactory = _ => PolitenessSettings.CensusDefault.MinSpacingSeconds };
        var backoff = new Option<double>("--backoff") { Description = "Seconds of first back-off after a reset or policy-violation (doubles)", DefaultValueFactory = _ => PolitenessSettings.CensusDefault.BackoffSeconds };
        var attempts = new Option<int>("--attempts") { Description = "Tries of a throttled step before it is inconclusive", DefaultValueFactory = _ => PolitenessSettings.CensusDefault.MaxAttempts };
        var blocklist = new Option<string?>("--blocklist") { Description = "File of domains and CIDRs never contacted", HelpName = "FILE" };
        var grading = new Option<string>("--policy") { Description = "Grading policy stored with the census: " + string.Join(", ", Grading.Policies.All.Select(p => p.Name)) + " (re-grading needs no rescan)", DefaultValueFactory = _ => Grading.Policies.Default, HelpName = "NAME" };
        grading.AcceptOnlyFromAmong([.. Grading.Policies.All.Select(p => p.Name)]);
        // The spelling before --policy was the same in every command; kept so existing scripts still work.
        var oldGrading = new Option<string?>("--grading-policy") { Hidden = true };
        oldGrading.AcceptOnlyFromAmong([.. Grading.Policies.All.Select(p => p.Name)]);
        var shardBy = new Option<string>("--shard-by") { Description = "Shard key: address or subnet (/24, /48)", DefaultValueFactory = _ => "address" };
        shardBy.AcceptOnlyFromAmong("address", "subnet");
        // Full by default: the census statistics users want (protocols, weak/export suites, forward secrecy) need the
        // enumeration, not one negotiated session.
        var depth = new Option<string>("--depth")
        {
            Description = "How deep each endpoint is scanned: full (session, then protocols, suites, key exchange, vulnerability probes, client simulation; "
                + "about 50-160 connections per endpoint), assessment (session, protocols, suites, key exchange, certificate) "
                + "or session (one handshake, like scan --quick)",
            DefaultValueFactory = _ => "full",
        };
        depth.AcceptOnlyFromAmong("session", "assessment", "full");
        var fetchAia = FetchAiaOption.Create();
        var noSharing = NoSharingOption.Create();
        var sessionTls = SessionTlsOption.Create();
        var noNode = new Option<bool>("--no-node") { Description = "Only plan; scan nodes (xmppscan node) do the scanning" };
        var inFlight = new Option<int?>("--targets-in-flight") { Description = "In-process node: targets at once, 1-1024. " + InFlightHelp.Text, HelpName = "N" };
        var region = new Option<string?>("--region") { Description = "In-process node's region (default: the first of --regions)" };
        var nodeLog = new Option<string?>("--log") { Description = "In-process node's log (default: standard error, none under a progress bar)", HelpName = "FILE" };
        var connectionLog = new Option<string?>("--connection-log") { Description = "Append every connection's open/close time to FILE", HelpName = "FILE" };
        var progressOption = ProgressOption.Create("lines");
        var progressEvery = ProgressOption.CreateEvery();

        var command = new Command("census", "Plan and run a census of XMPP domains (embedded: SQLite and one in-process node)");
        foreach (var option in new Option[] { targets, store, name, mode, dns, trustAnchors, noSystemTrust, timeout, regions, maxPerIp, spacing,
                     backoff, attempts, blocklist, grading, oldGrading, shardBy, depth, fetchAia, noSharing, sessionTls, noNode, inFlight, region, nodeLog, connectionLog,
                     progressOption, progressEvery })
        {
            command.Options.Add(option);
        }

        command.Subcommands.Add(CensusStatsCommand.Create(stdout, stderr));
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(targets)!;
            CensusSettings settings;
            TargetList list;
            string[] regionList;
            try
            {
                var targetLines = await CliFiles.ReadLinesAsync("--targets", file, ct).ConfigureAwait(false);
                foreach (var (option, path) in new[] { ("--log", parse.GetValue(nodeLog)), ("--connection-log", parse.GetValue(connectionLog)) })
                {
                    if (path is not null)
                    {
                        CliFiles.CheckWritable(option, path);
                    }
                }

                var blockFile = parse.GetValue(blocklist);
                var blockLines = blockFile is null ? [] : await CliFiles.ReadLinesAsync("--blocklist", blockFile, ct).ConfigureAwait(false);
                regionList = parse.GetValue(regions)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (regionList.Length == 0)
                {
                    throw new UsageException("--regions needs at least one region");
                }

                settings = CensusSettingsBuilder.Build(parse.GetValue(mode)!, parse.GetValue(dns) ?? [], parse.GetValue(trustAnchors) ?? [],
                    !parse.GetValue(noSystemTrust), parse.GetValue(timeout),
                    new PolitenessSettings(parse.GetValue(maxPerIp), parse.GetValue(spacing), parse.GetValue(backoff), parse.GetValue(attempts)),
                    blockLines,
                    ScanDepthNames.Parse(parse.GetValue(depth)!) ?? ScanDepth.Full, parse.GetValue(fetchAia), !parse.GetValue(noSharing),
                    SessionTlsOption.Value(parse, sessionTls));
                list = TargetFile.Parse(targetLines);
            }
            catch (UsageException e)
            {
                await stderr.WriteLineAsync("xmppscan census: " + e.Message.Replace(Environment.NewLine, Environment.NewLine + "xmppscan census: ", StringComparison.Ordinal))
                    .ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            foreach (var p in list.Invalid)
            {
                await stderr.WriteLineAsync($"xmppscan census: {file}:{p.Line}: skipped '{p.Text}': {p.Reason}").ConfigureAwait(false);
            }

            foreach (var p in list.Duplicates)
            {
                await stderr.WriteLineAsync($"xmppscan census: {file}:{p.Line}: duplicate '{p.Text}' ({p.Reason})").ConfigureAwait(false);
            }

            var terminal = ProgressDisplay.IsTerminal(stderr);
            var progressMode = ProgressDisplay.Parse(parse.GetValue(progressOption)!, terminal, ProgressMode.Lines);
            var opened = await CliStore.OpenAsync(parse.GetValue(store)!, create: true, ct).ConfigureAwait(false);

            // The planner's and the in-process node's log (Microsoft.Extensions.Logging): --log, else standard error
            // unless the terminal progress bar owns it.
            StreamWriter? logFile;
            try
            {
                logFile = parse.GetValue(nodeLog) is { } logPath ? new StreamWriter(logPath, append: true) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
                throw new UsageException($"--log {parse.GetValue(nodeLog)}: cannot write: {e.Message}");
            }

            using var logging = NodeRuntime.LogInto(logFile ?? (progressMode == ProgressMode.Terminal ? TextWriter.Null : stderr));
            await using (opened.ConfigureAwait(false))
            await using ((logFile ?? (IAsyncDisposable)TextWriter.Null).ConfigureAwait(false))
            {
                var censusName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(file);
                var planned = await new CensusPlanner(opened, logging).PlanAsync(new CensusPlanRequest(censusName, list, settings,
                    parse.GetValue(oldGrading) ?? parse.GetValue(grading)!, regionList,
                    parse.GetValue(shardBy) == "subnet" ? ShardKeyPolicy.PerSubnet : ShardKeyPolicy.PerAddress), ct).ConfigureAwait(false);
                if (planned.StoredSettingsWin)
                {
                    await stdout.WriteLineAsync($"census {censusName} exists: its stored settings are used, not this command line's").ConfigureAwait(false);
                }

                var storedSettings = CensusSettings.FromJson(planned.Census.SettingsJson);
                await stdout.WriteLineAsync(
                    $"census {censusName} ({(planned.Resumed ? "resumed" : "new")}, store {opened.Engine}): {list.Domains.Count} targets in file, " +
                    $"{planned.Added} added, {planned.AlreadyThere} already there, {planned.Blocked.Count} blocked, " +
                    $"{planned.Plan.TargetsPlanned} planned into {planned.Plan.ShardsCreated} shards, regions {string.Join(",", planned.Census.Regions)}, " +
                    $"depth {storedSettings.Depth.Name()}{(storedSettings.FetchAia ? ", fetch-aia" : "")}{(storedSettings.Sharing ? "" : ", no sharing")}" +
                    $"{(storedSettings.SessionTls == SessionTls.Engine ? "" : ", session TLS on " + storedSettings.SessionTls.Name())}")
                    .ConfigureAwait(false);
                if (parse.GetValue(noNode))
                {
                    return ExitCodes.Success;
                }

                // Progress at the level where time goes (issue 13 item 4): steps, connections, politeness waits; on
                // standard error, never mixed with standard output.
                var nodeRegion = parse.GetValue(region) ?? planned.Census.Regions[0];
                var tracker = new ScanProgress(ScanStepCatalog.EndpointStepNames(storedSettings.Depth), Math.Max(1, storedSettings.Modes.Count));
                if ((await opened.GetProgressAsync(planned.Census.CensusId, ct).ConfigureAwait(false)).FirstOrDefault(p => p.Region == nodeRegion) is { } before)
                {
                    tracker.SetTargets(before.TargetsTotal, before.TargetsDone + before.TargetsFailed);
                }

                var display = progressMode == ProgressMode.None ? null
                    : new ProgressDisplay(tracker, stderr, progressMode, TerminalText.WidthOf(stderr),
                        lineInterval: TimeSpan.FromSeconds(parse.GetValue(progressEvery)));
                var node = new NodeOptions
                {
                    NodeId = $"embedded-{Environment.MachineName}",
                    Region = nodeRegion,
                    TargetsInFlight = parse.GetValue(inFlight) is { } n ? Math.Clamp(n, 1, InFlightSizing.Max) : null,
                    ConnectionLogPath = parse.GetValue(connectionLog),
                    Progress = tracker,
                    // Each target resolved once: the node scans what planning just resolved, within its TTL.
                    PlannedDiscovery = planned.Discovery,
                };
                var outcome = await new EmbeddedCensus(opened, node, logging, display).RunAsync(planned.Census.CensusId, ct).ConfigureAwait(false);

                if (ct.IsCancellationRequested)
                {
                    await stderr.WriteLineAsync("xmppscan census: interrupted; run the same command again to resume").ConfigureAwait(false);
                    return ExitCodes.Interrupted;
                }

                var p = outcome.Progress;
                await stdout.WriteLineAsync(
                    $"census {censusName} [{node.Region}]: {p?.TargetsDone ?? 0} done, {p?.TargetsFailed ?? 0} failed of {p?.TargetsTotal ?? 0}; " +
                    $"this run scanned {outcome.TargetsScannedNow} targets ({outcome.StepsRunNow} steps)").ConfigureAwait(false);
                return outcome.Finished ? ExitCodes.Success : ExitCodes.SomeTargetsFailed;
            }
        });
        return command;
    }
}
