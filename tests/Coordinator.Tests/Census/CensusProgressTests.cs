using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Scanning;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using Xunit.Abstractions;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Progress you can see (issue 13 item 4), on the real testbed: a census at a two-second spacing and a full scan both
/// write progress lines on standard error — connections done of the planned number, the step of each endpoint, the
/// politeness wait — whose final count is every connection the run made, while standard output stays clean.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed partial class CensusProgressTests(CensusTestbed testbed, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Census_linesShowConnectionsOfPlanned_theStepOfEachEndpoint_andTheSpacingWait()
    {
        // modern.test and intermediate.test each have two endpoints (5222, 5223) on one address: the second waits the spacing.
        var targets = Path.Combine(_dir, "two.txt");
        await File.WriteAllLinesAsync(targets, ["modern.test", "intermediate.test"]);
        var log = Path.Combine(_dir, "connections.log");
        var run = await RunCliAsync(["census", "--targets", targets, "--store", "sqlite:" + Path.Combine(_dir, "c.db"), "--depth", "session",
            "--spacing", "2", "--connection-log", log, "--log", Path.Combine(_dir, "node.log"), "--progress", "lines", "--progress-every", "0.2",
            .. testbed.ScanOptions]);
        output.WriteLine(run.Err);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.DoesNotContain("progress:", run.Out, StringComparison.Ordinal);

        var lines = ProgressLines(run.Err);
        var connections = File.ReadAllLines(log).Select(l => l.Split(' ')).ToList();
        Assert.Contains(lines, l => l.Done > 0 && l.Done < l.Planned);
        var last = lines[^1];
        Assert.Equal((2, 2, connections.Count, connections.Count), (last.TargetsDone, last.TargetsTotal, last.Done, last.Planned));

        Assert.Contains(lines, l => l.Text.Contains("modern.test ", StringComparison.Ordinal)
            && Regex.IsMatch(l.Text, @"modern\.test [0-9.]+:5223: session, [01]/~1 connections"));
        var waits = lines.SelectMany(l => WaitPattern().Matches(l.Text)).ToList();
        Assert.NotEmpty(waits);
        Assert.All(waits, w =>
        {
            Assert.Contains(connections, c => c[0] == w.Groups["address"].Value);
            Assert.InRange(double.Parse(w.Groups["seconds"].Value, CultureInfo.InvariantCulture), 0.1, 2.0);
        });
    }

    [Fact]
    public async Task Scan_linesCountEveryConnectionOfTheFullScan_andTheJsonOnStandardOutputStaysIntact()
    {
        var run = await RunCliAsync(["scan", .. testbed.ScanOptions, "--progress", "lines", "--progress-every", "0.2", "--json", "-", "modern.test"]);
        Assert.True(run.Code == 0, run.Err);
        var domain = Assert.Single(ResultJson.Deserialize(run.Out)!.Domains); // stdout is the JSON alone

        var lines = ProgressLines(run.Err);
        // Whether a 0.2 s tick lands mid-scan is up to the machine's speed (a stress run printed three lines mid-scan, a
        // quiet run of the faster DHE key exchange none): the lines between start and end are ProgressDisplayTests' (on a
        // fake clock), what each step shows is checked below where every step start is seen. Here: a line while the target
        // was still running, with a connection plan.
        Assert.Equal((0, 1), (lines[0].TargetsDone, lines[0].TargetsTotal));
        Assert.True(lines[0].Planned > 0, "the first line has no connection plan");
        // The session's one connection plus what the assessment, the key-type hellos, the probes and the simulation counted.
        var expected = domain.Endpoints.Sum(e => 1 + (e.Assessment?.Connections.Total ?? 0)
            + (e.Certificate?.KeyTypeChains?.Count(k => k.Outcome != KeyTypeOutcome.Skipped) ?? 0)
            + (e.Vulnerabilities?.Connections ?? 0) + (e.ClientSimulation?.Connections ?? 0));
        var last = lines[^1];
        Assert.Equal((1, 1, expected, expected), (last.TargetsDone, last.TargetsTotal, last.Done, last.Planned));
    }

    [Fact]
    public async Task Scan_everyStepOfEveryEndpoint_isNamedInTheProgressLineWhileItRuns()
    {
        var settings = ScanSettings.Validate(["modern.test"], "c2s", [testbed.Env["TESTBED_DNS"]], [testbed.Env["TESTBED_CA_BUNDLE"]],
            systemTrust: false, jsonPath: null, timeoutSeconds: 15);
        var steps = ScanRunner.EndpointSteps(settings, assess: true);
        var progress = new StepLines(new ScanProgress(steps));
        progress.Inner.SetTargets(1, 0);
        var report = await new ScanRunner(settings, assess: true, progress).RunAsync((_, _) => Task.CompletedTask, CancellationToken.None);

        // What a tick at the start of each step prints: the discovery by domain, then every step on every endpoint.
        Assert.Contains(progress.Lines, l => l.Contains("; modern.test: discovery (DNS)", StringComparison.Ordinal));
        var endpoints = Assert.Single(report.Domains).Endpoints;
        output.WriteLine(string.Join("\n", endpoints.Select(e => $"{e.Target} {e.Address}:{e.Port} {e.Transport} {e.Status}")));
        Assert.Contains(endpoints, e => e.Transport == TlsTransport.StartTls);
        Assert.Contains(endpoints, e => e.Transport == TlsTransport.DirectTls);
        foreach (var endpoint in endpoints)
        {
            foreach (var step in steps)
            {
                var named = $"modern.test {new IPEndPoint(IPAddress.Parse(endpoint.Address), endpoint.Port)}: {ProgressText.StepWords(step)}, ";
                Assert.Contains(progress.Lines, l => l.Contains(named, StringComparison.Ordinal));
            }
        }

        Assert.Equal(["session", "tls_assessment", "certificate", "vulnerabilities", "client_simulation"], steps);
        Assert.StartsWith("progress: 1/1 targets", ProgressText.Line(progress.Inner.Snapshot()), StringComparison.Ordinal);
    }

    /// <summary>The real tracker, and the progress line as it reads the moment each step starts.</summary>
    private sealed class StepLines(ScanProgress inner) : IScanProgress
    {
        private readonly List<string> _lines = [];

        public ScanProgress Inner { get; } = inner;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void StepStarted(string domain, XmppEndpoint? endpoint, string step)
        {
            Inner.StepStarted(domain, endpoint, step);
            var line = ProgressText.Line(Inner.Snapshot());
            lock (_lines)
            {
                _lines.Add(line);
            }
        }

        public void StepFinished(string domain, XmppEndpoint? endpoint, string step) => Inner.StepFinished(domain, endpoint, step);

        public void Waiting(IPAddress address, TimeSpan wait, WaitReason reason) => Inner.Waiting(address, wait, reason);

        public void ConnectionOpened(XmppEndpoint endpoint) => Inner.ConnectionOpened(endpoint);

        public void TargetFinished(string domain) => Inner.TargetFinished(domain);
    }

    private static List<(string Text, int TargetsDone, int TargetsTotal, int Done, int Planned)> ProgressLines(string stderr) =>
        [.. stderr.Split('\n').Select(l => (Line: l, Match: SummaryPattern().Match(l))).Where(x => x.Match.Success)
            .Select(x => (x.Line, Int(x.Match, "td"), Int(x.Match, "tt"), Int(x.Match, "done"), Int(x.Match, "planned")))];

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^progress: (?<td>\d+)/(?<tt>\d+) targets, (?<done>\d+)/~(?<planned>\d+) connections, \d+:\d\d:\d\d elapsed, ETA (\d+:\d\d:\d\d|--:--:--)")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"waiting (?<seconds>\d+\.\d) s for (?<address>127\.\d+\.\d+\.\d+) \(spacing\)")]
    private static partial Regex WaitPattern();
}
