using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>Issue 13 item 3: mistyped options and commands are named as such with the closest match, <c>help [COMMAND]</c>
/// works, and the same thing has the same option name in every command.</summary>
public sealed class CliOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task MistypedOption_isAnUnknownOption_notAnInvalidDomain()
    {
        var (code, stdout, err) = await RunCliAsync("scan", "--bogus-option", "example.org");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains("unknown option '--bogus-option' for 'xmppscan scan'", err, StringComparison.Ordinal);
        Assert.DoesNotContain("domain", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scan --polcy x example.org", "--polcy", "--policy")]
    [InlineData("scan --max-connection-per-server 2 example.org", "--max-connection-per-server", "--max-connections-per-server")]
    [InlineData("census stats --stor x.db", "--stor", "--store")]
    [InlineData("ctl --jsn status", "--jsn", "--json")]
    public async Task MistypedOption_suggestsTheClosest(string command, string typo, string meant)
    {
        var (code, _, err) = await RunCliAsync(command.Split(' '));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"unknown option '{typo}'", err, StringComparison.Ordinal);
        Assert.Contains($"did you mean '{meant}'?", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedCommand_suggestsTheClosest()
    {
        var (code, _, err) = await RunCliAsync("scna", "example.org");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("xmppscan: unknown command 'scna' (did you mean 'scan'?)", err.Split('\n')[0].TrimEnd());
    }

    [Theory]
    [InlineData(new[] { "help" }, "Commands:")]
    [InlineData(new[] { "help", "scan" }, " scan <domain>... [options]")]
    [InlineData(new[] { "help", "census", "stats" }, " census stats [options]")]
    [InlineData(new[] { "help", "ctl", "census" }, " ctl census [command] [options]")]
    public async Task Help_printsTheCommandsUsage(string[] args, string usage)
    {
        var (code, stdout, err) = await RunCliAsync(args);
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpOfAnUnknownCommand_isAUsageError()
    {
        var (code, _, err) = await RunCliAsync("help", "reprot");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("xmppscan help: unknown command 'reprot' (did you mean 'report'?)", err.TrimEnd());
    }

    [Theory]
    [InlineData("scan")]
    [InlineData("census")]
    [InlineData("census stats")]
    [InlineData("report")]
    public async Task PolicyOption_isCalledPolicyEverywhere(string command)
    {
        var (_, stdout, _) = await RunCliAsync(["help", .. command.Split(' ')]);
        Assert.Contains("--policy", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--grading-policy", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("census stats")]
    [InlineData("report")]
    public async Task CensusOption_namesTheCensusInEveryReadingCommand(string command)
    {
        var (_, stdout, _) = await RunCliAsync(["help", .. command.Split(' ')]);
        Assert.Contains("--census", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--policy")]
    [InlineData("--grading-policy")]
    public async Task Census_takesThePolicyUnderBothSpellings(string option)
    {
        var targets = Path.Combine(_dir, "t.txt");
        await File.WriteAllTextAsync(targets, "# none\n");
        var db = Path.Combine(_dir, "c.db");
        var (code, _, err) = await RunCliAsync("census", "--targets", targets, "--store", db, "--name", "p", option, "xmppoke-2015", "--no-node");
        Assert.True(code == ExitCodes.Success, err);
        await using var store = await StoreFactory.OpenAsync(db);
        Assert.Equal("xmppoke-2015", (await store.FindCensusAsync("p"))!.GradingPolicy);
    }
}
