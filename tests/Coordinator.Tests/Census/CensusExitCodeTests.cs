using XmppScanCluster.Coordinator.Cli;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// The exit code README documents for <c>census</c>: a census whose every target has a result exits 0 even when every
/// target failed (a dead domain is a finding of the census, not a failure of the command), and its last line counts them.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusExitCodeTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-census-exit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task EveryTargetFailed_theCensusFinished_exit0_andTheLastLineCountsTheFailures()
    {
        var targets = Path.Combine(_dir, "dead.txt");
        // Names the testbed's DNS does not know (NXDOMAIN): DNS failures, recorded as failed targets.
        await File.WriteAllLinesAsync(targets, ["absent-one.test", "absent-two.test"]);

        var (code, stdout, stderr) = await RunCliAsync(["census", "--targets", targets, "--store", "sqlite:" + Path.Combine(_dir, "dead.db"),
            "--depth", "session", "--spacing", "0", "--log", Path.Combine(_dir, "node.log"), .. testbed.ScanOptions]);

        Assert.True(code == ExitCodes.Success, stderr + stdout);
        Assert.Contains("census dead [default]: 0 done, 2 failed of 2;", stdout, StringComparison.Ordinal);
    }
}
