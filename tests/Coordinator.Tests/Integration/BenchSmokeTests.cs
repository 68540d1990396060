using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/run.sh --smoke: xmppscan alone on modern.test, once on the loopback testbed (from the isolated
/// scanner namespace) and once behind the userspace delay bridge (network namespaces, 50 ms round trip),
/// then on the bench's copy of the testbed ejabberd behind the bridge. Exercises every bench script: the
/// namespace set-ups and their cleanup, the Prosody and ejabberd copies and their stop (ejabberd's helpers
/// included), the SYN capture, the findings parser, the bridge, the report. Needs root, as CI has.
/// </summary>
[Collection(TestbedCollection.Name)]
public partial class BenchSmokeTests(TestbedFixture testbed)
{
    [GeneratedRegex(@"^\| modern \| xmppscan \| (\d+) \| (\d+) \| ([0-9.]+) s \|", RegexOptions.Multiline)]
    private static partial Regex XmppscanRow();

    [GeneratedRegex(@"^\| ejabberd \| xmppscan \| (\d+) \| (\d+) \| ([0-9.]+) s \|", RegexOptions.Multiline)]
    private static partial Regex EjabberdRow();

    [GeneratedRegex(@"bench: server namespace xsbench-\d+-s (net:\[\d+\])")]
    private static partial Regex ServerNamespace();

    [GeneratedRegex(@"ping median ([0-9.]+) ms")]
    private static partial Regex MeasuredRtt();

    [GeneratedRegex(@"bench: namespaces (xsbench-\d+-)c ")]
    private static partial Regex Namespaces();

    [GeneratedRegex(@"root end (xsi\d+)\)")]
    private static partial Regex RootVeth();

    [Fact]
    public void SmokeRun_printsLoopbackAndLatencyRowsAndRemovesItsNamespaces()
    {
        var output = Directory.CreateTempSubdirectory("xmppscan-bench-");
        try
        {
            var result = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "run.sh"),
                // 30 s handshake deadline: the smoke checks the scripts on a loaded machine, not the tools' speed.
                new Dictionary<string, string> { ["TESTBED_DIR"] = testbed.Directory, ["BENCH_TIMEOUT"] = "30" },
                TimeSpan.FromMinutes(15), "--smoke", "--no-build", "--out", output.FullName);
            Assert.True(result.ExitCode == 0, result.Output);

            Assert.Contains("## Loopback", result.Output, StringComparison.Ordinal);
            Assert.Contains("## Latency", result.Output, StringComparison.Ordinal);
            // A row whose wall time reads "(exit N)" does not match: xmppscan failed there. Show the table.
            var rows = XmppscanRow().Matches(result.Output);
            Assert.True(rows.Count == 2, result.Output);
            Assert.All(rows, row => Assert.True(int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture) >= 1, row.Value));
            var ejabberd = EjabberdRow().Matches(result.Output);
            Assert.True(ejabberd.Count == 1, result.Output);
            Assert.True(int.Parse(ejabberd[0].Groups[1].Value, CultureInfo.InvariantCulture) >= 1, ejabberd[0].Value);

            // The bridge really delays: 25 ms each way (a missing delay would show well under 1 ms).
            var rtt = double.Parse(MeasuredRtt().Match(result.Output).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(rtt, 45.0, 1000.0); // the upper bound only catches a runaway bridge: ping under a loaded CI core is slow

            var table = Directory.GetFiles(output.FullName, "table.md", SearchOption.AllDirectories);
            Assert.Single(table);
            Assert.Equal(2, XmppscanRow().Matches(File.ReadAllText(table[0])).Count);

            var prefix = Namespaces().Match(result.Output).Groups[1].Value;
            Assert.NotEmpty(prefix);
            Assert.DoesNotContain(prefix, Ip("netns", "list"), StringComparison.Ordinal);
            var veth = RootVeth().Match(result.Output).Groups[1].Value;
            Assert.NotEmpty(veth);
            Assert.DoesNotMatch($@"\d+: {veth}[@:]", Ip("-o", "link"));

            // ejabberd's helpers (erl_child_setup, inet_gethost, eimp, memsup) run in sessions of their own: none
            // may outlive the run, neither inside the server namespace nor anywhere else with the bench's HOME.
            var serverNamespace = ServerNamespace().Match(result.Output).Groups[1].Value;
            Assert.NotEmpty(serverNamespace);
            Assert.Empty(LeftoverProcesses(serverNamespace, output.FullName));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>"PID command" of every process in that network namespace ("net:[inode]") or whose environment
    /// names a path under the run's output directory (the ejabberd copy's HOME and config).</summary>
    private static List<string> LeftoverProcesses(string netNamespace, string outputDirectory)
    {
        var left = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (!pid.All(char.IsAsciiDigit) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            {
                continue;
            }

            try
            {
                var inNamespace = new FileInfo(Path.Combine(dir, "ns", "net")).LinkTarget == netNamespace;
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (inNamespace || environ.Contains(outputDirectory, StringComparison.Ordinal))
                {
                    left.Add($"{pid} {File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process exited while we looked, or is a kernel thread without these files
            }
        }

        return left;
    }

    private static string Ip(params string[] arguments)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }
}
