using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>
/// How a run ends decides between "refused" (the client closed) and "stalled" (it was stopped): a client that closed and
/// exited is recorded as closed however late its session reads the close; one that is still connected when the run ends
/// is recorded as stalled. The drain bound runs on a fake clock.
/// </summary>
public sealed class ScenarioServerEndRunTests
{
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.128";

    [Fact]
    public async Task ClientThatClosedAndExited_isRecordedAsClosed_notStalled()
    {
        await using var server = Start(out var recorder, "5");
        using (var client = await ConnectAndReadFeaturesAsync(server, recorder))
        {
            await client.GetStream().WriteAsync("</stream:stream>"u8.ToArray());
        }

        // Ended at once, as the harness does when the client process has exited: the session has not necessarily read
        // the close yet (on a loaded machine it had not: gloox strict was judged "stalled" in CI).
        await server.EndRunAsync(clientExited: true, new FakeTimeProvider(), TimeSpan.FromSeconds(10));

        var events = recorder.Snapshot("baseline").Events;
        Assert.Contains(events, e => e.Kind == WireEventKind.ClientClosed);
        Assert.DoesNotContain(events, e => e.Kind == WireEventKind.TimedOut);
    }

    [Fact]
    public async Task ClientThatExitedButLeftItsConnectionOpen_isStalled_afterTheDrain()
    {
        await using var server = Start(out var recorder, "6");
        using var client = await ConnectAndReadFeaturesAsync(server, recorder);
        var time = new FakeTimeProvider();

        // Only the drain bound (10 s on the fake clock) ends this run: the connection stays open, as when a client's
        // child process inherited the socket.
        var end = server.EndRunAsync(clientExited: true, time, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 600 && !end.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(end, Task.Delay(50));
        }

        await end;
        Assert.Contains(recorder.Snapshot("baseline").Events, e => e.Kind == WireEventKind.TimedOut);
    }

    [Fact]
    public async Task ClientStillConnectedWhenStopped_isStalled()
    {
        await using var server = Start(out var recorder, "7");
        using var client = await ConnectAndReadFeaturesAsync(server, recorder);

        await server.EndRunAsync(clientExited: false, new FakeTimeProvider(), TimeSpan.FromSeconds(10));

        Assert.Contains(recorder.Snapshot("baseline").Events, e => e.Kind == WireEventKind.TimedOut);
    }

    private static ScenarioServer Start(out WireRecorder recorder, string subnet)
    {
        using var pki = HarnessCertificates.Create(DateTimeOffset.UtcNow);
        var (leaf, _) = pki.Leaf(CertificateKind.Good, "baseline.harness.test", DateTimeOffset.UtcNow);
        var setup = new ScenarioServerSetup(ScenarioCatalog.Find("baseline")!, "baseline.harness.test", IPAddress.Parse($"{Net}.{subnet}.1"),
            IPAddress.Parse($"{Net}.{subnet}.2"), "secret", new SslServerAuthenticationOptions { ServerCertificate = leaf });
        var server = new ScenarioServer(setup);
        recorder = new WireRecorder();
        server.BeginRun(recorder);
        return server;
    }

    /// <summary>Opens a stream and waits until the harness has sent its features, as a real client does before it decides.</summary>
    private static async Task<TcpClient> ConnectAndReadFeaturesAsync(ScenarioServer server, WireRecorder recorder)
    {
        var features = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Recorded += e =>
        {
            if (e.Kind == WireEventKind.FeaturesSent)
            {
                features.TrySetResult();
            }
        };
        var client = new TcpClient();
        await client.ConnectAsync(server.Setup.Address, ScenarioServer.C2sPort);
        await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?><stream:stream to='baseline.harness.test' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"));
        await features.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return client;
    }
}
