using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// The README's first command, as a user runs it: <c>bash deploy/run.sh</c> brings the testbed up (already up
/// here, through the shared fixture, so the test process decides when it stops), runs a census of every testbed
/// domain on the embedded SQLite store and writes the site, printing where to open it — here into a temporary
/// folder (XMPPSCAN_OUT), so the tests never touch the main job's artifacts/testbed-census.db and artifacts/site/.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class MainJobTests(CensusTestbed testbed)
{
    [Fact]
    public void RunSh_censusOfTheTestbed_writesTheSiteAndSaysWhereToOpenIt_underItsOwnFolder()
    {
        // XMPPSCAN_OUT keeps the test away from the main job's artifacts/testbed-census.db and artifacts/site/.
        var mainDb = Path.Combine(RepoPaths.Root, "artifacts", "testbed-census.db");
        var mainSite = Path.Combine(RepoPaths.Root, "artifacts", "site");
        var before = Snapshot(mainDb, mainSite);
        var output = Directory.CreateTempSubdirectory("xmppscan-runsh-");
        try
        {
            var result = ScriptRunner.Run(RepoPaths.Deploy("run.sh"),
                new Dictionary<string, string> { ["TESTBED_DIR"] = SharedTestbed.Directory, ["XMPPSCAN_OUT"] = output.FullName },
                TimeSpan.FromMinutes(20));

            Assert.True(result.ExitCode == 0, result.Output);
            var site = Path.Combine(output.FullName, "site");
            var index = Path.Combine(site, "index.html");
            Assert.Contains($"Open the site: file://{index}", result.Output, StringComparison.Ordinal);
            Assert.Contains($"stored in {Path.Combine(output.FullName, "testbed-census.db")}", result.Output, StringComparison.Ordinal);
            var census = System.Text.RegularExpressions.Regex.Match(result.Output, @"Census '(testbed-\d{8}T\d{6}Z)' stored").Groups[1].Value;
            Assert.NotEmpty(census);
            Assert.Contains(census, File.ReadAllText(index), StringComparison.Ordinal);

            // Every testbed domain has its row and its page.
            var data = File.ReadAllText(Path.Combine(site, "domains.js"));
            var domains = File.ReadAllLines(testbed.WriteTargets(output.FullName)).Where(l => !l.StartsWith('#')).ToList();
            Assert.NotEmpty(domains);
            foreach (var domain in domains)
            {
                Assert.Contains($"[\"{domain}\",\"c2s\"", data, StringComparison.Ordinal);
                Assert.Contains($"[\"{domain}\",\"s2s\"", data, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(site, "domain", domain + ".html")), domain);
            }

            Assert.Equal(before, Snapshot(mainDb, mainSite));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>Every file under the paths with its size and time: equal before and after means untouched.</summary>
    private static string Snapshot(params string[] paths) => string.Join("\n", paths
        .SelectMany(p => File.Exists(p) ? [p] : Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [])
        .Order(StringComparer.Ordinal)
        .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"));
}
