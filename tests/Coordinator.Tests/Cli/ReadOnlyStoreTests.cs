using XmppScanCluster.Coordinator.Cli;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>Issue 13 item 6: a typo'd store path is never created by a command that only reads; only <c>census</c> starts a store.</summary>
public sealed class ReadOnlyStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-readonly-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("census", "stats")]
    [InlineData("report", "--out", "SITE")]
    [InlineData("coordinator", "--listen", "127.0.0.1:0")]
    [InlineData("node", "--exit-when-done", "x")]
    public async Task ReadingCommandOnAMissingStore_createsNothing(params string[] command)
    {
        var typo = Path.Combine(_dir, "xmppscna.db");
        var args = command.Select(a => a == "SITE" ? Path.Combine(_dir, "site") : a).Concat(["--store", typo]).ToArray();
        var (code, stdout, err) = await RunCliAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains($"--store: no store at {typo}", err, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Census_stillStartsANewStore()
    {
        var targets = Path.Combine(_dir, "t.txt");
        await File.WriteAllTextAsync(targets, "# nothing yet\n");
        var (code, _, err) = await RunCliAsync("census", "--targets", targets, "--store", Path.Combine(_dir, "new.db"), "--no-node");
        Assert.True(code == ExitCodes.Success, err);
        Assert.True(File.Exists(Path.Combine(_dir, "new.db")));
    }
}
