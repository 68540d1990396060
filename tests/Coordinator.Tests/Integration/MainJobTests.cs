using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// The README's first command, as a user runs it: <c>bash deploy/run.sh</c> brings the testbed up (already up
/// here, through the shared fixture, so the test process decides when it stops), runs a census of every testbed
/// domain on the embedded SQLite store and writes the site to artifacts/site/, printing where to open it.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class MainJobTests(CensusTestbed testbed)
{
    [Fact]
    public void RunSh_censusOfTheTestbed_writesTheSiteAndSaysWhereToOpenIt()
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        var result = ScriptRunner.Run(RepoPaths.Deploy("run.sh"), new Dictionary<string, string> { ["TESTBED_DIR"] = SharedTestbed.Directory },
            TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.Output);
        var index = Path.Combine(RepoPaths.Root, "artifacts", "site", "index.html");
        Assert.Contains($"Open the site: file://{index}", result.Output, StringComparison.Ordinal);
        Assert.True(File.GetLastWriteTimeUtc(index) >= started, "index.html was not rewritten");
        var census = System.Text.RegularExpressions.Regex.Match(result.Output, @"Census '(testbed-\d{8}T\d{6}Z)' stored").Groups[1].Value;
        Assert.NotEmpty(census);
        Assert.Contains(census, File.ReadAllText(index), StringComparison.Ordinal);

        // Every testbed domain has its row and its page.
        var data = File.ReadAllText(Path.Combine(RepoPaths.Root, "artifacts", "site", "domains.js"));
        var scratch = Directory.CreateTempSubdirectory("xmppscan-mainjob-");
        var domains = File.ReadAllLines(testbed.WriteTargets(scratch.FullName)).Where(l => !l.StartsWith('#')).ToList();
        scratch.Delete(recursive: true);
        Assert.NotEmpty(domains);
        foreach (var domain in domains)
        {
            Assert.Contains($"[\"{domain}\",\"c2s\"", data, StringComparison.Ordinal);
            Assert.Contains($"[\"{domain}\",\"s2s\"", data, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "artifacts", "site", "domain", domain + ".html")), domain);
        }
    }
}
