using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Coordinator.Cli;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

public class CliUsageTests
{

    [Fact]
    public async Task UnknownOption_exitsWithUsageCode()
    {
        var (code, _, err) = await RunCliAsync("scan", "--bogus", "example.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--bogus", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    public async Task MaxConnectionsPerServerOutsideOneToFour_exitsWithUsageCode(string value)
    {
        var (code, stdout, err) = await RunCliAsync("scan", "--max-connections-per-server", value, "example.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains("between 1 and 4", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickWithFetchAia_isRefusedLikeCensusDepthSession()
    {
        // --quick is the census's depth session, which has no certificate inspection for --fetch-aia to complete.
        var (code, stdout, err) = await RunCliAsync("scan", "--dns", "127.0.0.1", "--quick", "--fetch-aia", "example.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--fetch-aia", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueOutsideTheAcceptedOnes_isOneReadableLine_namingThem()
    {
        var (code, stdout, err) = await RunCliAsync("scan", "--mode", "c2c", "example.test");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Equal(["xmppscan: Argument 'c2c' not recognized. Must be one of: 'c2s' 's2s' 'both'", "Try 'xmppscan help'."],
            err.Trim().Split(Environment.NewLine));
    }

    [Fact]
    public async Task MissingDomain_exitsWithUsageCode()
    {
        var (code, _, _) = await RunCliAsync("scan");
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public async Task InvalidDomain_isOneLineAndNoStackTrace()
    {
        var (code, stdout, err) = await RunCliAsync("scan", "--dns", "127.0.0.1", "exa mple.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnansweredDnsServer_isOneLinePerTargetAndExitCodeOne()
    {
        // Nothing listens on this loopback port: every query times out.
        var (code, stdout, _) = await RunCliAsync("scan", "--dns", "127.0.0.1:9", "--timeout", "1", "a.test", "b.test");
        Assert.Equal(ExitCodes.SomeTargetsFailed, code);
        var failures = stdout.Split('\n').Where(l => l.TrimStart().StartsWith('✗')).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, l => Assert.Contains("✗ DNS failure:", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedConnection_isOneClassifiedLineAndExitCodeOne()
    {
        // Bind then close: the port is known to be free, so the connect is refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, stdout, _) = await RunCliAsync("scan", "--dns", "127.0.0.1", "--connect", $"127.0.0.1:{port}", "refused.test");
        Assert.Equal(ExitCodes.SomeTargetsFailed, code);
        var line = Assert.Single(stdout.Split('\n'), l => l.Contains('✗'));
        Assert.Contains($"127.0.0.1:{port} starttls: connection refused", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_timesOutWithinTheDeadline()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        // The per-read deadline ends the scan with a classified timeout; without it the scan would never return
        // (the long wait is only a guard against that hang, not a speed check: CI runs on two loaded cores).
        var (code, stdout, _) = await RunCliAsync("scan", "--dns", "127.0.0.1", "--timeout", "1", "--connect", $"127.0.0.1:{port}", "silent.test")
            .WaitAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(ExitCodes.SomeTargetsFailed, code);
        Assert.Contains("starttls: timed out", stdout, StringComparison.Ordinal);
        (await accepted).Dispose();
    }

    [Fact]
    public async Task ConnectWithBothModes_isAUsageError()
    {
        var (code, _, err) = await RunCliAsync("scan", "--dns", "127.0.0.1", "--mode", "both", "--connect", "127.0.0.1", "x.test");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--connect", err, StringComparison.Ordinal);
    }
}
