using System.Diagnostics;
using System.Globalization;
using Npgsql;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Events;
using Xunit.Abstractions;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Censuses over every testbed domain with real processes: the embedded default (depth full) killed with SIGKILL in a
/// target's TLS assessment and rerun,
/// and a three-node Akka cluster on a PostgreSQL of its own (deploy/cluster) with one node killed (SIGKILL) and
/// PostgreSQL restarted mid-census. Politeness checked from the nodes' connection logs.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusRunTests(CensusTestbed testbed, ITestOutputHelper output) : IDisposable
{
    private const double Spacing = 1.0;
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-census-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Embedded_killedMidAssessment_rerunResumesAtTheNextStep_withoutRescanningFinishedTargets()
    {
        var clock = Stopwatch.StartNew();
        var targets = testbed.WriteTargets(_dir);
        var total = File.ReadAllLines(targets).Count(l => !l.StartsWith('#'));
        var db = Path.Combine(_dir, "census.db");
        // Depth full (the default): about 50-160 connections per endpoint, so a small spacing keeps the test short.
        string[] args = ["census", "--targets", targets, "--store", "sqlite:" + db, .. testbed.ScanOptions,
            "--spacing", "0.05", "--targets-in-flight", "3"];

        var first = testbed.Start(_dir, "first", args);
        await using var store = await StoreFactory.OpenAsync("sqlite:" + db);
        Guid census = Guid.Empty;
        List<Guid> midAssessment = [];
        try
        {
            // Kill while a target's TLS assessment runs: its session is recorded and the assessment of that endpoint is
            // not (the actor starts the next step as soon as it has persisted the last one).
            await CensusTestbed.WaitUntilAsync(async () =>
            {
                census = (await store.FindCensusAsync("testbed-targets"))?.CensusId ?? Guid.Empty;
                if (census == Guid.Empty || (await store.GetProgressAsync(census)).Single().TargetsDone < 2)
                {
                    return false;
                }

                midAssessment = AssessmentNext(await JournalChecks.ReadAllAsync(store, census));
                return midAssessment.Count > 0;
            }, TimeSpan.FromSeconds(90), "two targets done and one in its TLS assessment");
        }
        finally
        {
            first.Kill(entireProcessTree: true); // SIGKILL
            await first.WaitForExitAsync();
            output.WriteLine("first run: " + string.Join('\n', File.ReadLines(Path.Combine(_dir, "first.err")).TakeLast(15)));
        }

        var killedAt = clock.Elapsed;
        var before = await JournalChecks.ReadAllAsync(store, census);
        var finished = before.Where(e => e.Type == "target_scan_completed").Select(e => e.TargetId).ToHashSet();
        var started = before.Where(e => e.Type == "target_scan_started").Select(e => e.TargetId).ToHashSet();
        Assert.InRange(finished.Count, 2, total - 1);

        var second = testbed.Start(_dir, "second", args);
        if (!second.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            second.Kill(entireProcessTree: true);
            Assert.Fail("the rerun did not finish");
        }

        var text = File.ReadAllText(Path.Combine(_dir, "second.out"));
        output.WriteLine(text);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("(resumed, store sqlite)", text);

        var after = await JournalChecks.ReadAllAsync(store, census);
        // No step and no endpoint fact twice in any stream, every target completed once.
        JournalChecks.EveryTargetExactlyOnce(after, total, modes: 1);
        foreach (var target in finished)
        {
            // A finished target got no event from the rerun.
            Assert.Equal(before.Count(e => e.TargetId == target), after.Count(e => e.TargetId == target));
        }

        // A half-done target kept its events and continued after them.
        var halfDone = started.Except(finished).ToList();
        foreach (var target in halfDone)
        {
            Assert.Equal(before.Where(e => e.TargetId == target).Select(e => e.EventId),
                after.Where(e => e.TargetId == target).OrderBy(e => e.Sequence).Take(before.Count(e => e.TargetId == target)).Select(e => e.EventId));
        }

        // Targets with an endpoint whose session was recorded and whose assessment was not, read from the journal as the
        // kill left it (the poll above saw one a moment earlier; a target can have moved on to another endpoint's steps
        // since, so the first rerun event need not be this assessment): the rerun did that assessment, and the stored
        // report has it.
        midAssessment = AssessmentNext(before);
        Assert.NotEmpty(midAssessment);
        foreach (var target in midAssessment)
        {
            var rerun = after.Where(e => e.TargetId == target).OrderBy(e => e.Sequence).Skip(before.Count(e => e.TargetId == target)).ToList();
            Assert.Contains(rerun, e => e.Type == "endpoint_tls_assessed"
                || (e.Type == "scan_step_completed" && EventTypeRegistry.Default.Deserialize<ScanStepCompleted>(e).Step == "tls_assessment"));
            var report = Assert.Single(await store.ReadReportsAsync(census, target));
            Assert.All(report.Endpoints.Where(e => e.Tls?.Protocol is not null), e => Assert.NotNull(e.Assessment));
        }

        var scanned = int.Parse(System.Text.RegularExpressions.Regex.Match(text, @"this run scanned (\d+) targets").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(scanned, 1, total - finished.Count);
        output.WriteLine($"killed after {killedAt.TotalSeconds:0.0} s with {finished.Count}/{total} finished, {halfDone.Count} half done " +
            $"({midAssessment.Count} mid-assessment); rerun scanned {scanned}; total {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Target streams whose next step is a TLS assessment: a session recorded, its endpoint's assessment not.</summary>
    private static List<Guid> AssessmentNext(IReadOnlyList<EventEnvelope> events) =>
        [.. events.Where(e => e.Type == "scan_step_completed").GroupBy(e => e.TargetId)
            .Where(g => !events.Any(e => e.TargetId == g.Key && e.Type == "target_scan_completed"))
            .Where(g =>
            {
                var steps = g.Select(e => EventTypeRegistry.Default.Deserialize<ScanStepCompleted>(e)).ToList();
                return steps.Any(s => s.Step == "session" && s.Status == StepStatus.Completed
                    && !steps.Any(a => a.Step == "tls_assessment" && a.EndpointIndex == s.EndpointIndex && a.Mode == s.Mode));
            })
            .Select(g => g.Key)];

    [Fact]
    public async Task Cluster_threeNodes_oneKilled_itsShardsMoveToTheSurvivors_everyTargetOnce_completed_andPerIpLimitsHold()
    {
        var clock = Stopwatch.StartNew();
        var hash = (int)(StableHash(RepoPaths.Root) % 400);
        var clusterDir = Path.Combine(_dir, "cluster");
        var connectionLog = Path.Combine(_dir, "connections.log");
        var env = new Dictionary<string, string>
        {
            ["CLUSTER_DIR"] = clusterDir,
            ["CLUSTER_NODES"] = "3",
            // The engineer's or CI's free loopback block when there is one, else 127.0.0.1; a port per checkout.
            ["CLUSTER_HOST"] = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") is { Length: > 0 } net ? net + ".0.1" : "127.0.0.1",
            ["CLUSTER_PORT"] = (26000 + hash * 4).ToString(CultureInfo.InvariantCulture),
            ["XMPPSCAN_PG_PORT"] = (PostgresPorts.ClusterKill + hash).ToString(CultureInfo.InvariantCulture),
            // Not under the 0700 temp dir: the server runs as the postgres user.
            ["XMPPSCAN_PG_DIR"] = $"/tmp/xmppscan-pg-census-{hash}",
            ["XMPPSCAN_DLL"] = testbed.Dll,
            ["NODE_ARGS"] = $"--targets-in-flight 2 --connection-log {connectionLog}",
        };
        try
        {
            output.WriteLine(ScriptRunner.RunOrFail(RepoPaths.Deploy("cluster", "up.sh"), env, TimeSpan.FromMinutes(5)).Output);
            var url = File.ReadAllLines(Path.Combine(clusterDir, "env")).Single(l => l.StartsWith("XMPPSCAN_PG_URL=")).Split('=', 2)[1];
            var targets = testbed.WriteTargets(_dir);
            var total = File.ReadAllLines(targets).Count(l => !l.StartsWith('#'));
            // The reader's actor system and read journal start before the census does (seconds on a loaded machine):
            // the window in which a target is half-scanned is only as long as the census.
            await using var store = await StoreFactory.OpenAsync(url);
            Assert.Empty(await JournalChecks.ReadAllAsync(store, Guid.NewGuid()));

            using var plan = new StringWriter();
            // Session depth: this test is about sharding and failover, checked with a spacing of a second.
            Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", url, "--no-node", .. testbed.ScanOptions,
                "--spacing", Spacing.ToString(CultureInfo.InvariantCulture), "--depth", "session"], plan, plan, CancellationToken.None));
            output.WriteLine(plan.ToString());

            var census = (await store.FindCensusAsync("testbed-targets"))!.CensusId;
            // The victim: a node with a target half-scanned (its stream started, not completed) once two targets are done.
            string? victim = null;
            HashSet<Guid> unfinished = [];
            await CensusTestbed.WaitUntilAsync(async () =>
            {
                if ((await store.GetProgressAsync(census)).Single().TargetsDone < 2)
                {
                    return false;
                }

                var events = await JournalChecks.ReadAllAsync(store, census);
                var completed = events.Where(e => e.Type == "target_scan_completed").Select(e => e.TargetId).ToHashSet();
                var open = events.Where(e => !completed.Contains(e.TargetId)).GroupBy(e => e.NodeId).FirstOrDefault();
                (victim, unfinished) = open is null ? (null, []) : (open.Key, open.Select(e => e.TargetId).ToHashSet());
                return victim is not null;
            }, TimeSpan.FromSeconds(90), "a node with a target half-scanned after two targets");

            var pidFile = Path.Combine(clusterDir, "pids", $"node-{victim!.Split('-')[^1]}.pid");
            var pid = int.Parse(File.ReadAllText(pidFile).Split(' ')[0], CultureInfo.InvariantCulture);
            var node = Process.GetProcessById(pid);
            node.Kill(); // SIGKILL: the node cannot leave or hand anything over
            var killedAt = DateTimeOffset.UtcNow;
            await node.WaitForExitAsync();
            // The victim was chosen from a journal read that takes seconds under load: it may have completed one of
            // those targets before it died. Its half-scanned targets are those it left without completion, read now
            // that it can write nothing more (one seen in CI: a target completed between the read and the kill).
            var atKill = await JournalChecks.ReadAllAsync(store, census);
            var completedAtKill = atKill.Where(e => e.Type == "target_scan_completed").Select(e => e.TargetId).ToHashSet();
            unfinished = atKill.Where(e => e.NodeId == victim && !completedAtKill.Contains(e.TargetId)).Select(e => e.TargetId).ToHashSet();
            Assert.True(unfinished.Count > 0, $"{victim} completed every target it had started before it died: nothing was killed mid-target");
            var doneAtKill = (await store.GetProgressAsync(census)).Single().TargetsDone;
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed {victim} (pid {pid}) with {doneAtKill}/{total} done, in the middle of {unfinished.Count} target(s)");

            var pg = new Dictionary<string, string> { ["XMPPSCAN_PG_DIR"] = env["XMPPSCAN_PG_DIR"], ["XMPPSCAN_PG_PORT"] = env["XMPPSCAN_PG_PORT"] };
            ScriptRunner.RunOrFail(RepoPaths.Deploy("postgres", "down.sh"), pg);
            await Task.Delay(1500);
            ScriptRunner.RunOrFail(RepoPaths.Deploy("postgres", "up.sh"), pg);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: PostgreSQL restarted");
            NpgsqlConnection.ClearAllPools();

            // The region's feeder singleton marks the census completed when every target is recorded.
            await CensusTestbed.WaitUntilAsync(async () =>
            {
                try
                {
                    return (await store.GetCensusAsync(census))!.State == CensusState.Completed;
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(180), "the census to reach 'completed'");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: census completed");
            Assert.Equal(0, (await store.GetProgressAsync(census)).Single().TargetsRemaining);

            var all = await JournalChecks.ReadAllAsync(store, census);
            JournalChecks.EveryTargetExactlyOnce(all, total, modes: 1);
            var writers = all.Where(e => e.Type == "target_scan_completed").GroupBy(e => e.NodeId).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine("completions per node: " + string.Join(", ", writers.Select(w => $"{w.Key}={w.Value}")));
            Assert.True(writers.Count >= 2, "the work was spread over the nodes");
            // The dead node's half-done targets were continued by a survivor (its entities moved there) and finished.
            foreach (var stream in unfinished)
            {
                var completion = Assert.Single(all, e => e.TargetId == stream && e.Type == "target_scan_completed");
                Assert.NotEqual(victim, completion.NodeId);
            }

            var resumed = all.Where(e => unfinished.Contains(e.TargetId) && e.NodeId != victim).Min(e => e.OccurredAt);
            output.WriteLine($"the killed node's targets ran again {(resumed - killedAt).TotalSeconds:0.0} s after the kill (PostgreSQL restart included)");
            CheckPoliteness(connectionLog, output);
        }
        finally
        {
            // The nodes' logs before the purge deletes them: what a failure needs to be diagnosed.
            foreach (var log in Directory.Exists(Path.Combine(clusterDir, "logs")) ? Directory.GetFiles(Path.Combine(clusterDir, "logs"), "*.log") : [])
            {
                // Without remoting's repeated gating warnings: the node's own lines and the cluster's decisions.
                var lines = File.ReadLines(log).Where(l => !l.Contains("gated for", StringComparison.Ordinal)
                    && !l.Contains("AssociationError", StringComparison.Ordinal) && !l.StartsWith("   at ", StringComparison.Ordinal)).ToList();
                output.WriteLine($"--- {Path.GetFileName(log)}\n{string.Join('\n', lines.Take(30).Concat(lines.Skip(30).TakeLast(30)))}");
            }

            output.WriteLine(ScriptRunner.Run(RepoPaths.Deploy("cluster", "down.sh"), env, TimeSpan.FromMinutes(5), "--purge").Output);
        }
    }

    /// <summary>At most one connection per address at a time, and connection starts at least the spacing apart.</summary>
    private static void CheckPoliteness(string logPath, ITestOutputHelper output)
    {
        var lines = File.ReadAllLines(logPath);
        Assert.All(lines, l => Assert.Equal(5, l.Split(' ').Length));
        var connections = lines.Select(l => l.Split(' '))
            .Select(p => (Address: p[0], Opened: long.Parse(p[2], CultureInfo.InvariantCulture), Closed: long.Parse(p[3], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.NotEmpty(connections);
        var minGap = long.MaxValue;
        foreach (var perIp in connections.GroupBy(c => c.Address))
        {
            var ordered = perIp.OrderBy(c => c.Opened).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].Opened >= ordered[i - 1].Closed,
                    $"{perIp.Key}: connection at {ordered[i].Opened} overlaps the one closed at {ordered[i - 1].Closed}");
                var gap = ordered[i].Opened - ordered[i - 1].Opened;
                minGap = Math.Min(minGap, gap);
                Assert.True(gap >= Spacing * 1000 - 20, $"{perIp.Key}: connections {gap} ms apart");
            }
        }

        output.WriteLine($"{connections.Count} connections to {connections.Select(c => c.Address).Distinct().Count()} addresses; " +
            $"smallest spacing {minGap} ms");
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
