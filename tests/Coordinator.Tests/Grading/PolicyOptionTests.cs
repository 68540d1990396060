using XmppScanCluster.Coordinator.Cli;

namespace XmppScanCluster.Coordinator.Tests.Grading;

public class PolicyOptionTests
{
    [Fact]
    public async Task UnknownPolicy_exitsWithUsageCode_andNamesTheKnownOnes()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["scan", "--policy", "nope-1999", "--dns", "127.0.0.1", "example.test"], stdout, stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("ssllabs-2009r", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("xmppoke-2015", stderr.ToString(), StringComparison.Ordinal);
    }
}
