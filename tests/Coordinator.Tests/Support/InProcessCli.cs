using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>The real command line, run in the test process with its output captured.</summary>
internal static class InProcessCli
{
    public static async Task<(int Code, string Out, string Err)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A count from <c>census stats --json</c>: <paramref name="section"/> (features, protocols, …), 0 when absent.</summary>
    public static int StatCount(JsonElement stats, string section, string key) =>
        stats.GetProperty(section).EnumerateArray().Where(c => c.GetProperty("key").GetString() == key)
            .Select(c => c.GetProperty("domains").GetInt32()).FirstOrDefault();
}
