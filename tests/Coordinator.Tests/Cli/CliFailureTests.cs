using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>
/// The ordinary mistakes of issue 13 item 1 (and the README's failure table): each is one line on standard error
/// naming what is wrong, exit code 2, no stack trace, and nothing done before it is said.
/// </summary>
public sealed class CliFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void OneLine(string err, string expected)
    {
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanJsonIntoADirectory_failsBeforeScanning()
    {
        // 127.0.0.1:9 never answers DNS: without the check the scan would run (and wait) first, then crash.
        var (code, stdout, err) = await RunCliAsync("scan", "--dns", "127.0.0.1:9", "--json", _dir, "a.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        OneLine(err, $"--json {_dir}: is a directory");
    }

    [Fact]
    public async Task ScanHtmlIntoAMissingFolder_failsBeforeScanning()
    {
        var path = Path.Combine(_dir, "missing", "x.html");
        var (code, stdout, err) = await RunCliAsync("scan", "--dns", "127.0.0.1:9", "--html", path, "a.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        OneLine(err, "folder " + Path.Combine(_dir, "missing") + " does not exist");
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public async Task NodeConnectionLogInAMissingFolder_failsBeforeJoining()
    {
        var path = Path.Combine(_dir, "missing", "connections.log");
        var (code, stdout, err) = await RunCliAsync("node", "--store", Path.Combine(_dir, "none.db"), "--connection-log", path);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        OneLine(err, $"--connection-log {path}: folder " + Path.Combine(_dir, "missing") + " does not exist");
    }

    [Fact]
    public async Task ReportOnRefusedPostgres_isOneLine()
    {
        var port = FreePort();
        var (code, _, err) = await RunCliAsync("report", "--store", $"postgres://xmppscan@127.0.0.1:{port}/census", "--out", Path.Combine(_dir, "site"));
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, $"xmppscan report: --store postgres://xmppscan@127.0.0.1:{port}/census: cannot open: ");
        Assert.False(Directory.Exists(Path.Combine(_dir, "site")));
    }

    [Fact]
    public async Task CensusStatsOnSilentPostgres_givesUpAfterTheShortConnectTimeout()
    {
        // Accepts the TCP connection and never says a word, like a firewall that swallows packets after the handshake.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var (code, _, err) = await RunCliAsync("census", "stats", "--store", $"postgres://xmppscan@127.0.0.1:{port}/census");
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, $"cannot open: no answer within {CliStore.ConnectTimeoutSeconds} s");
    }

    [Fact]
    public async Task CensusWithUnreadableTargets_isOneLine()
    {
        // /proc/self/mem exists but cannot be read from the start (even by root, unlike a chmod 000 file).
        var (code, _, err) = await RunCliAsync("census", "--targets", "/proc/self/mem", "--store", Path.Combine(_dir, "c.db"));
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, "xmppscan census: --targets /proc/self/mem: cannot read:");
        Assert.False(File.Exists(Path.Combine(_dir, "c.db")));
    }

    [Fact]
    public async Task CensusWithADirectoryAsTargets_saysSo()
    {
        var (code, _, err) = await RunCliAsync("census", "--targets", _dir, "--store", Path.Combine(_dir, "c.db"));
        Assert.Equal(ExitCodes.Usage, code);
        OneLine(err, $"--targets {_dir}: is a directory");
    }

    [Fact]
    public async Task CoordinatorOnABusyPort_isOneLine()
    {
        var db = Path.Combine(_dir, "c.db");
        await (await StoreFactory.OpenAsync(db)).DisposeAsync();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var (code, stdout, err) = await RunCliAsync("coordinator", "--store", db, "--listen", $"127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        OneLine(err, $"xmppscan coordinator: --listen 127.0.0.1:{port}: cannot listen:");
    }

    [Fact]
    public async Task CtlWithoutTheToken_saysHowToGiveIt()
    {
        await using var store = await StoreFactory.OpenAsync(Path.Combine(_dir, "c.db"));
        await using var server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), token: "s3cret");
        var previous = Environment.GetEnvironmentVariable(CoordinatorCommand.TokenVariable);
        Environment.SetEnvironmentVariable(CoordinatorCommand.TokenVariable, null);
        try
        {
            var (code, _, err) = await RunCliAsync("ctl", "--coordinator", server.Url, "status");
            Assert.Equal(CtlCommand.Refused, code);
            OneLine(err, "the coordinator wants a token: pass --token T or set $XMPPSCAN_TOKEN");
        }
        finally
        {
            Environment.SetEnvironmentVariable(CoordinatorCommand.TokenVariable, previous);
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
