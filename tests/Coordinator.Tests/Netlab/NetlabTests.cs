using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace XmppScanCluster.Coordinator.Tests.Netlab;

/// <summary>
/// deploy/netlab/netlab.sh on real namespaces, veths and the delay bridge: a host reaches the root namespace's
/// loopback services from its own address with the chosen round trip, a cut loses frames silently both ways and a
/// heal lets a TCP connection opened before the cut continue, and cleanup removes exactly the runs of dead owners.
/// </summary>
public sealed class NetlabTests(ITestOutputHelper output)
{
    private static readonly string Script = RepoPaths.Deploy("netlab", "netlab.sh");

    [Fact]
    public async Task DelayedHost_reachesRootLoopbackFromItsOwnAddress_roundTripIsTwiceTheDelay()
    {
        await using var lab = NetLab.Create();
        var address = lab.AddHost("far", delayMs: 50);
        var listen = IPAddress.Parse(NetLab.RootAddress(21));
        using var listener = new TcpListener(listen, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = AcceptAndSendAsync(listener, "hello from root\n");

        var result = lab.Exec("far", $"exec 3<>/dev/tcp/{listen}/{port}; read -r line <&3; echo \"got: $line\"", TimeSpan.FromMinutes(1));
        Assert.Equal("got: hello from root", result.Output.Trim());
        Assert.Equal(address, (await accepted).Address.ToString());

        // The bridge delays each frame by 50 ms each way: a lower bound that load cannot break (load only adds).
        var rtt = lab.RoundTripMs("far", listen.ToString());
        output.WriteLine($"host {address}: median RTT to {listen} {rtt} ms");
        Assert.NotNull(rtt);
        Assert.InRange(rtt.Value, 100, 1000);
    }

    [Fact]
    public async Task Cut_losesFramesBothWaysSilently_healLetsAnOpenConnectionContinue()
    {
        await using var lab = NetLab.Create();
        var address = lab.AddHost("cut");
        var listen = IPAddress.Parse(NetLab.RootAddress(22));
        using var listener = new TcpListener(listen, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // A client inside the host prints every line it receives; it is connected before the cut.
        var client = Task.Run(() => lab.Exec("cut",
            $"exec 3<>/dev/tcp/{listen}/{port}; while read -r line <&3; do echo \"$line\"; [ \"$line\" = bye ] && exit 0; done; exit 1",
            TimeSpan.FromMinutes(3)));
        using var server = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var stream = server.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("before\n"));
        Assert.True(PingFromRoot(address) > 0);

        lab.Cut("cut");
        Assert.Null(lab.RoundTripMs("cut", listen.ToString()));
        Assert.Equal(0, PingFromRoot(address));
        // Written during the cut: TCP keeps retransmitting it; nothing resets the connection.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("during\n"));

        lab.Heal("cut");
        Assert.NotNull(lab.RoundTripMs("cut", listen.ToString()));
        Assert.True(PingFromRoot(address) > 0);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("bye\n"));
        var result = await client.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["before", "during", "bye"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Cleanup_removesTheRunsOfDeadOwnersWithTheirProcesses_andKeepsLiveRuns()
    {
        await using var live = NetLab.Create();
        live.AddHost("keep");

        using var owner = Process.Start("sleep", "600");
        var run = ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1),
            arguments: ["new", "--owner", owner.Id.ToString(CultureInfo.InvariantCulture)]).Output.Trim();
        ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(1), arguments: ["host", run, "gone"]);
        using var inside = Process.Start("bash", [Script, "exec", run, "gone", "sleep", "600"]);
        await WaitAsync(() => Namespaces().Contains($"xsnl-{run}-gone") && Run("ip", "netns", "pids", $"xsnl-{run}-gone").Contains(
            inside.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), "the process inside the host");

        owner.Kill();
        await owner.WaitForExitAsync();
        output.WriteLine(ScriptRunner.RunOrFail(Script, timeout: TimeSpan.FromMinutes(2), arguments: ["cleanup"]).Output);

        Assert.DoesNotContain(Namespaces(), n => n.StartsWith($"xsnl-{run}-", StringComparison.Ordinal));
        Assert.DoesNotContain($"xn{run}h", Run("ip", "-o", "link", "show"), StringComparison.Ordinal);
        Assert.DoesNotContain($"198.19.", Run("ip", "route", "show", "dev", $"xn{run}h10"), StringComparison.Ordinal);
        Assert.True(inside.WaitForExit(TimeSpan.FromMinutes(1)), "the process inside the dead run's host still runs");
        Assert.Contains(live.Namespace("keep"), Namespaces());
        Assert.Contains($"xsnl-{live.Run}-keep-br", Namespaces());

        await live.DisposeAsync();
        Assert.DoesNotContain(Namespaces(), n => n.StartsWith($"xsnl-{live.Run}-", StringComparison.Ordinal));
    }

    private static async Task<IPEndPoint> AcceptAndSendAsync(TcpListener listener, string text)
    {
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text));
        return (IPEndPoint)client.Client.RemoteEndPoint!;
    }

    /// <summary>Echo replies received for 3 pings from the root namespace.</summary>
    private static int PingFromRoot(string address)
    {
        var text = Run("ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", address);
        var match = System.Text.RegularExpressions.Regex.Match(text, @"(\d+) received");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static List<string> Namespaces() => [.. Run("ip", "netns", "list").Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.Length > 0)];

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException("waiting for " + what);
            await Task.Delay(100);
        }
    }
}
