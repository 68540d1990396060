using XmppScanCluster.Coordinator.Cli;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>
/// The Native AOT build runs scan, ctl and help and refuses the commands that start Akka.NET with one line (the
/// AOT-compiled program itself is run by bench/startup and StartupBenchSmokeTests). Here: the decision, and that a JIT
/// build refuses nothing.
/// </summary>
public class NativeAotCommandsTests
{
    [Theory]
    [InlineData("xmppscan census")]
    [InlineData("xmppscan census stats")]
    [InlineData("xmppscan node")]
    [InlineData("xmppscan coordinator")]
    [InlineData("xmppscan report")]
    [InlineData("xmppscan clients")]
    public void CommandsThatStartAkka_areRefusedByTheAotBuild_only(string command)
    {
        Assert.Contains("not available in the Native AOT build", NativeAotCommands.Refusal(command, nativeAot: true), StringComparison.Ordinal);
        Assert.Null(NativeAotCommands.Refusal(command, nativeAot: false));
        Assert.Null(NativeAotCommands.Refusal(command));
    }

    [Theory]
    [InlineData("xmppscan scan")]
    [InlineData("xmppscan ctl status")]
    [InlineData("xmppscan help")]
    [InlineData("xmppscan")]
    public void ScanCtlAndHelp_runInTheAotBuild(string command) =>
        Assert.Null(NativeAotCommands.Refusal(command, nativeAot: true));
}
