using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using static XmppScanCluster.ScanNode.Tests.Actors.TargetFacts;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary>
/// The census's TLS assessment step against a server that stops answering after the session: a
/// <c>policy-violation</c> (a rate limit) makes the step inconclusive with no fact — never "TLS not supported" —
/// while a server's real answer (<c>host-unknown</c>) is a failed assessment that is recorded.
/// </summary>
public class WireStepThrottleTests
{
    [Theory]
    [InlineData("policy-violation", StepStatus.Inconclusive)]
    [InlineData("host-unknown", StepStatus.Failed)]
    public async Task ServerAnswersEveryAssessmentConnectionWithAStreamError_onlyThrottlingIsInconclusive(string condition, StepStatus expected)
    {
        await using var server = new StreamErrorServer(condition);
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.test", Address: IPAddress.Loopback,
            Port: server.Port, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);
        var (state, _) = Run(new StartTargetScan(TargetId, "example.test", [XmppMode.C2S], ["session", "tls_assessment"]), Discovered(1), Session(0));
        var step = new TlsAssessmentStep(new EndpointAssessor(TestLimits.Fast));
        var runner = new StepRunner(new PolitenessSettings(1, 0, 0, 2));

        var result = await runner.RunAsync(step, new StepKey("tls_assessment", XmppMode.C2S, 0),
            new StepInput("example.test", XmppMode.C2S, 0, endpoint, state), CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.True(server.Connections > 0);
        if (expected == StepStatus.Inconclusive)
        {
            Assert.Empty(result.Facts);
            Assert.Equal(2, result.Attempts);
            Assert.Contains("throttled", result.Failure!.Message, StringComparison.Ordinal);
        }
        else
        {
            var fact = Assert.IsType<EndpointTlsAssessed>(Assert.Single(result.Facts));
            Assert.DoesNotContain(fact.Assessment.Protocols, p => p.Supported);
        }
    }

    [Fact]
    public async Task SessionWithoutTls_assessmentIsSkipped_withoutAConnection()
    {
        await using var server = new StreamErrorServer("policy-violation");
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.test", Address: IPAddress.Loopback,
            Port: server.Port, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);
        var noTls = new RecordStepResult(new StepKey("session", XmppMode.C2S, 0), StepStatus.Completed, null, 1,
            [new EndpointSessionObserved(XmppMode.C2S, 0, Report(0) with { Tls = null })]);
        var (state, _) = Run(new StartTargetScan(TargetId, "example.test", [XmppMode.C2S], ["session", "tls_assessment"]), Discovered(1), noTls);

        var outcome = await new TlsAssessmentStep(new EndpointAssessor(TestLimits.Fast))
            .RunAsync(new StepInput("example.test", XmppMode.C2S, 0, endpoint, state), CancellationToken.None);

        Assert.Equal(StepStatus.Skipped, outcome.Status);
        Assert.Empty(outcome.Facts);
        Assert.Equal(0, server.Connections);
    }

    /// <summary>Every connection: expect the stream header → send a header and a stream error with <c>condition</c>.</summary>
    private sealed class StreamErrorServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
        private readonly Task _loop;
        private int _connections;

        public StreamErrorServer(string condition)
        {
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(async () =>
                    {
                        using var _ = client;
                        await using var xmpp = new FakeXmppConnection(client.GetStream(), _stop.Token);
                        try
                        {
                            await xmpp.ExpectStreamHeaderAsync();
                            await xmpp.SendAsync(Xml.Header() + Xml.StreamError(condition, "too many connections"));
                        }
                        catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or SocketException)
                        {
                        }
                    });
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
