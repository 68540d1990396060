using System.Diagnostics;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// The shared testbed, used read-only (only scanned; the tests kill their own processes, never a server):
/// brought up through <see cref="SharedTestbed"/>, which also decides when it stops.
/// </summary>
public sealed class CensusTestbed : IAsyncLifetime
{
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    /// <summary>The built xmppscan.dll, run as real processes with <c>dotnet</c>.</summary>
    public string Dll { get; } = Path.Combine(RepoPaths.Root, "src", "Coordinator", "bin",
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0", "xmppscan.dll");

    public Task InitializeAsync()
    {
        Env = SharedTestbed.EnsureUp();
        if (!File.Exists(Dll))
        {
            throw new InvalidOperationException($"{Dll} not built");
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every testbed domain (and nosvc.test) as a targets file.</summary>
    public string WriteTargets(string directory)
    {
        var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Env["TESTBED_MANIFEST"])).RootElement;
        var domains = manifest.GetProperty("domains").EnumerateArray().Concat(manifest.GetProperty("no_service_domains").EnumerateArray())
            .Select(d => d.GetProperty("domain").GetString()!);
        var path = Path.Combine(directory, "testbed-targets.txt");
        File.WriteAllLines(path, ["# every testbed domain", .. domains]);
        return path;
    }

    // Every testbed server answers (a dead endpoint is a closed port: an immediate reset), so a long timeout costs
    // nothing; 5 s let a starved Prosody miss a handshake deadline at load average 25 and fail a full-depth census.
    public string[] ScanOptions => ["--dns", Env["TESTBED_DNS"], "--trust-anchors", Env["TESTBED_CA_BUNDLE"], "--no-system-trust", "--timeout", "15"];

    /// <summary>Starts <c>dotnet xmppscan.dll ARGS</c> with output captured to files in <paramref name="directory"/>.</summary>
    public Process Start(string directory, string name, params string[] args)
    {
        // A test run started in the background of a non-interactive shell (`.ci/run &`) inherits SIGINT ignored, exec
        // keeps it so, and .NET then leaves it ignored: the CLI under test would never see Ctrl-C. Python resets it to
        // the default before exec (bash cannot: POSIX forbids resetting a signal that was ignored on entry).
        var info = new ProcessStartInfo("python3") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('bash', ['bash'] + sys.argv[1:])");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec dotnet \"$0\" \"$@\" >\"{directory}/{name}.out\" 2>\"{directory}/{name}.err\"");
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet");
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(200);
        }
    }
}

/// <summary>Checks on a census's journal shared by the census tests.</summary>
internal static class JournalChecks
{
    public static Task<List<EventEnvelope>> ReadAllAsync(ICensusStore store, Guid censusId) => store.ReadAllAsync(censusId);

    /// <summary>Every target stream has exactly one result per mode and one completion, and no step ran twice.</summary>
    public static void EveryTargetExactlyOnce(IReadOnlyList<EventEnvelope> events, int targets, int modes)
    {
        var streams = events.GroupBy(e => e.TargetId).ToList();
        Assert.Equal(targets, streams.Count);
        foreach (var stream in streams)
        {
            Assert.Equal(1, stream.Count(e => e.Type == "target_scan_completed"));
            Assert.Equal(modes, stream.Count(e => e.Type == "domain_scan_completed"));
            Assert.Equal(1, stream.Count(e => e.Type == "target_scan_started"));
            var steps = stream.Where(e => e.Type == "scan_step_completed").Select(e => EventTypeRegistry.Default.Deserialize<ScanStepCompleted>(e))
                .Select(s => (s.Step, s.Mode, s.EndpointIndex)).ToList();
            Assert.Equal(steps.Count, steps.Distinct().Count());
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(i => (long)i), stream.Select(e => e.Sequence).Order());
            EveryEndpointFactOnce(stream.ToList());
        }
    }

    /// <summary>
    /// Each endpoint step's fact (the session's report, the assessment, the vulnerabilities, the client simulation) is
    /// in the stream exactly once for a step that ran to an answer (completed or failed), and not at all for a step
    /// that was skipped or inconclusive: a step redone after a crash left no second copy.
    /// </summary>
    private static void EveryEndpointFactOnce(IReadOnlyList<EventEnvelope> stream)
    {
        var facts = stream.Select(e => EventTypeRegistry.Default.TryGet(e.Type, out _) ? (object)EventTypeRegistry.Default.Deserialize(e) : null)
            .Select(p => p switch
            {
                EndpointSessionObserved o => ("session", o.Mode, (int?)o.Index),
                EndpointTlsAssessed a => ("tls_assessment", a.Mode, a.Index),
                EndpointVulnerabilitiesObserved v => ("vulnerabilities", v.Mode, v.Index),
                EndpointClientsSimulated c => ("client_simulation", c.Mode, c.Index),
                EndpointCertificateInspected ci => ("certificate", ci.Mode, ci.Index),
                _ => default((string, XmppScanCluster.Shared.Model.XmppMode, int?)?),
            })
            .OfType<(string Step, XmppScanCluster.Shared.Model.XmppMode Mode, int? Index)>()
            .ToList();
        var answered = stream.Where(e => e.Type == "scan_step_completed").Select(e => EventTypeRegistry.Default.Deserialize<ScanStepCompleted>(e))
            .Where(s => s.EndpointIndex is not null && s.Status is StepStatus.Completed or StepStatus.Failed)
            .Select(s => (s.Step, s.Mode, s.EndpointIndex))
            .ToList();
        Assert.Equal(answered.Order(), facts.Order());
    }
}

[CollectionDefinition(Name)]
public sealed class CensusCollection : ICollectionFixture<CensusTestbed>
{
    public const string Name = "census";
}
