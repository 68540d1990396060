using System.Diagnostics;

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
        var wasRunning = IsRunning();
        ScriptRunner.RunOrFail(RepoPaths.Deploy("testbed", "up.sh"), timeout: TimeSpan.FromMinutes(15));
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

    /// <summary>Running = an env file and every main process recorded by up.sh alive (files NAME.pid hold
    /// "pid starttime name"; ejabberd's helper processes come and go and are not counted).</summary>
    private static bool IsRunning()
    {
        var pids = Path.Combine(Directory, "pids");
        if (!File.Exists(Path.Combine(Directory, "testbed.env")) || !System.IO.Directory.Exists(pids))
        {
            return false;
        }

        var files = System.IO.Directory.GetFiles(pids, "*.pid").Where(f => !f.EndsWith(".helpers.pid", StringComparison.Ordinal)).ToList();
        return files.Count > 0 && files.All(f =>
            File.ReadAllText(f).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries) is [var first, ..]
            && int.TryParse(first, out var pid) && Alive(pid));
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
