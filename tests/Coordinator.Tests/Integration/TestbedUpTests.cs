using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// deploy/testbed/up.sh on a running testbed: it starts nothing and says so. <see cref="SharedTestbed"/> decides from
/// that line whether this test process owns the testbed (and stops it at exit), so the line is a contract.
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedUpTests(TestbedFixture testbed)
{
    [Fact]
    public void UpOnARunningTestbed_startsNothingAndSaysItWasAlreadyUp()
    {
        var pids = Directory.GetFiles(Path.Combine(testbed.Directory, "pids"), "*.pid").ToDictionary(f => f, File.ReadAllText);

        var up = ScriptRunner.RunOrFail(RepoPaths.Deploy("testbed", "up.sh"), timeout: TimeSpan.FromMinutes(5));

        Assert.Contains(SharedTestbed.AlreadyUp, up.Output, StringComparison.Ordinal);
        Assert.NotEmpty(pids);
        Assert.All(pids, p => Assert.Equal(p.Value, File.ReadAllText(p.Key)));
    }
}
