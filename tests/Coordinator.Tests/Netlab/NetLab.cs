using System.Globalization;

namespace XmppScanCluster.Coordinator.Tests.Netlab;

/// <summary>
/// One run of deploy/netlab/netlab.sh owned by this test process: hosts (network namespaces behind a delay bridge),
/// cuts and heals, and <see cref="DisposeAsync"/> tears the run down. Creating a lab first removes the leftovers of
/// runs whose owner died (a crashed test run), never a live run of another process.
/// </summary>
internal sealed class NetLab : IAsyncDisposable
{
    private static readonly string Script = RepoPaths.Deploy("netlab", "netlab.sh");
    private readonly Dictionary<string, string> _hosts = [];

    private NetLab(string run) => Run = run;

    public string Run { get; }

    /// <summary>Addresses on 127/8 for what the lab's hosts reach in the root namespace (not 127.0.0.1, which stays
    /// local inside a host): a block of XMPPSCAN_FREE_NET when set (each engineer's own), else 127.1.40.0/24.</summary>
    public static string RootAddress(int last)
    {
        var free = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") is { Length: > 0 } f ? f : "127.1";
        return (free.Count(c => c == '.') == 1 ? $"{free}.40" : free) + "." + last.ToString(CultureInfo.InvariantCulture);
    }

    public static NetLab Create()
    {
        ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(2), arguments: ["cleanup"]);
        var run = ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1),
            arguments: ["new", "--owner", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]).Output.Trim();
        return new NetLab(run);
    }

    /// <summary>Adds a host with <paramref name="delayMs"/> each way; returns its address (198.19.S.K).</summary>
    public string AddHost(string name, int delayMs = 0)
    {
        var output = ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1),
            arguments: ["host", Run, name, "--delay-ms", delayMs.ToString(CultureInfo.InvariantCulture)]).Output.Trim();
        var address = output.Split(' ')[^1];
        _hosts[name] = address;
        return address;
    }

    public string Namespace(string host) => $"xsnl-{Run}-{host}";

    /// <summary>The command prefix that runs a program inside <paramref name="host"/> with its PID unchanged.</summary>
    public string Wrapper(string host) => $"bash {Script} exec {Run} {host}";

    public void Cut(string host) => ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1), arguments: ["cut", Run, host]);

    public void Heal(string host) => ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1), arguments: ["heal", Run, host]);

    /// <summary>Median ping round trip from the host to <paramref name="address"/> in ms; null when nothing answered.</summary>
    public double? RoundTripMs(string host, string address)
    {
        var result = ScriptRunner.Run(Script, timeout: TimeSpan.FromMinutes(1), arguments: ["rtt", Run, host, address]);
        return result.ExitCode == 0 ? double.Parse(result.Output.Trim(), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Runs a shell command inside the host; exit code and output.</summary>
    public ScriptRunner.Result Exec(string host, string shellCommand, TimeSpan timeout)
    {
        var file = Path.Combine(Path.GetTempPath(), $"xsnl-exec-{Guid.NewGuid():N}.sh");
        File.WriteAllText(file, $"exec bash {Script} exec {Run} {host} bash -c '{shellCommand.Replace("'", "'\\''", StringComparison.Ordinal)}'\n");
        try
        {
            return ScriptRunner.Run(file, timeout: timeout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public ValueTask DisposeAsync()
    {
        ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(2), arguments: ["down", Run]);
        return ValueTask.CompletedTask;
    }
}
