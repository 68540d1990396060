namespace XmppScanCluster.TestKit;

/// <summary>
/// The one local testbed (deploy/testbed) of this test process, shared by every fixture and test that needs it.
/// Who stops it is decided once per process, and it is stopped when the process exits — never when one fixture
/// is disposed: two fixtures starting in parallel both saw it down, and the one that finished first stopped it
/// under the other (CI run of 2026-11-21, 30 failures from a half-stopped testbed). Left running when it was
/// already up (a developer's session) or with XMPPSCAN_KEEP_TESTBED=1.
/// </summary>
public static class SharedTestbed
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Environment_ = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory { get; } = Environment.GetEnvironmentVariable("TESTBED_DIR") ?? "/tmp/xmppscan-testbed";

    /// <summary>Brings the testbed up (once per process) and returns its testbed.env as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> EnsureUp() => Environment_.Value;

    private static IReadOnlyDictionary<string, string> Start()
    {
        // Whether the testbed was already running is decided by up.sh under the testbed's lock, never by reading its
        // pid files from here: the previous test assembly's exit-time down.sh can still be stopping it while this
        // process starts, and a pid file listed then deleted failed 27 tests (CI run of 2026-12-08). up.sh waits for
        // that down.sh, then starts the testbed afresh, and this process owns it.
        var up = ScriptRunner.RunOrFail(RepoPaths.Deploy("testbed", "up.sh"), timeout: TimeSpan.FromMinutes(15));
        var wasRunning = up.Output.Contains(AlreadyUp, StringComparison.Ordinal);
        if (!wasRunning && Environment.GetEnvironmentVariable("XMPPSCAN_KEEP_TESTBED") != "1")
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                ScriptRunner.Run(RepoPaths.Deploy("testbed", "down.sh"), timeout: TimeSpan.FromMinutes(2));
        }

        return File.ReadAllLines(Path.Combine(Directory, "testbed.env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>What deploy/testbed/up.sh prints when it found every server healthy and started nothing.</summary>
    public const string AlreadyUp = "up.sh: testbed already up";
}
