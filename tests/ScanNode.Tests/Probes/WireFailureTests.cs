using System.Net.Sockets;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// Issue 16's failure vocabulary: whatever a connection throws at a read or a write (the stream's own deadline
/// when a server drips its handshake, a reset, a byte budget, our own bug) is a classified result of the probe
/// that met it, never an exception past it. Scripted streams, no sockets, no clock.
/// </summary>
public class WireFailureTests
{
    public static TheoryData<string, FailureKind> Thrown => new()
    {
        { "deadline", FailureKind.Timeout },
        { "budget", FailureKind.LimitExceeded },
        { "reset", FailureKind.ConnectionClosed },
        { "io", FailureKind.ConnectionClosed },
        { "bug", FailureKind.Internal },
    };

    private static Exception Make(string what) => what switch
    {
        "deadline" => new DeadlineExceededException("connection deadline passed during a read"),
        "budget" => new ByteBudgetExceededException("connection exceeded its budget of 10 bytes"),
        "reset" => new IOException("reset", new SocketException((int)SocketError.ConnectionReset)),
        "io" => new IOException("broken pipe"),
        _ => new InvalidOperationException("a bug of ours"),
    };

    private static ClientHelloProfile Hello => ClientHelloProfiles.Tls(TlsVersion.Tls12, [0xC02F, 0x009C], "example.test");

    [Theory]
    [MemberData(nameof(Thrown))]
    public async Task HandshakeProbe_readThrows_isClassifiedFailure(string thrown, FailureKind expected)
    {
        var probe = new HandshakeProbe(new ScriptedFactory(() => new ThrowingStream(read: Make(thrown))), ScanLimits.Default);
        var r = await probe.RunAsync(Hello, CancellationToken.None);
        Assert.Equal(HandshakeOutcome.Failed, r.Outcome);
        Assert.Equal(expected, r.Failure!.Kind);
    }

    [Theory]
    [MemberData(nameof(Thrown))]
    public async Task HandshakeProbe_writeThrows_isClassifiedFailure(string thrown, FailureKind expected)
    {
        var probe = new HandshakeProbe(new ScriptedFactory(() => new ThrowingStream(write: Make(thrown))), ScanLimits.Default);
        var r = await probe.RunAsync(Hello, CancellationToken.None);
        Assert.Equal(expected, r.Failure!.Kind);
    }

    [Fact]
    public async Task HandshakeProbe_factoryThrows_isInternalFailureOfThatProbe()
    {
        var probe = new HandshakeProbe(new ScriptedFactory(() => throw new InvalidOperationException("bug")), ScanLimits.Default);
        var r = await probe.RunAsync(Hello, CancellationToken.None);
        Assert.Equal(FailureKind.Internal, r.Failure!.Kind);
    }

    [Theory]
    [MemberData(nameof(Thrown))]
    public async Task FirstFlightProbe_readThrows_isProbeFailureNotException(string thrown, FailureKind expected)
    {
        _ = expected;
        var context = new VulnerabilityProbeContext("example.test", [TlsVersion.Tls12]);
        var probe = new ClientRenegotiationProbe(new ScriptedFactory(() => new ThrowingStream(read: Make(thrown))), ScanLimits.Default);
        var r = await probe.RunAsync(context, CancellationToken.None);
        Assert.NotEqual(Shared.Results.ProbeStatus.Completed, r.Status);
    }

    [Fact]
    public async Task CallerCancellation_isNotClassifiedAsTheServers()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var probe = new HandshakeProbe(new ScriptedFactory(() => new ThrowingStream(read: new OperationCanceledException(cts.Token))), ScanLimits.Default);
        var r = await probe.RunAsync(Hello, cts.Token);
        Assert.Equal(FailureKind.Cancelled, r.Failure!.Kind);
    }

    private static HandshakeResult Flight(params byte[][] records)
    {
        var flight = new ServerFlight();
        var (messages, _, r) = ReassemblerTests.Feed(Fixtures.Concat(records), []);
        foreach (var m in messages)
        {
            if (flight.Accept(m)) return flight.Result;
        }

        return flight.Finish(r.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "end of fixture"), r.TotalBytes);
    }

    private static byte[] Warning(byte description) => Fixtures.Record(21, 0x0303, [0x01, description]);

    [Fact]
    public void WarningAlertBeforeServerHello_isReadPast_notARefusal()
    {
        // unrecognized_name(112) as a warning before the ServerHello (RFC 6066 §3 allows it).
        var r = Flight(Warning(112), Fixtures.Record(22, 0x0303, Fixtures.Handshake(2, Fixtures.Tls12ServerHelloBody)));
        Assert.Equal(HandshakeOutcome.ServerHello, r.Outcome);
    }

    [Fact]
    public void WarningAlertStormThenClose_isFailureNotAlert()
    {
        var r = Flight([.. Enumerable.Repeat(Warning(90), 20).SelectMany(w => w)]);
        Assert.Equal(HandshakeOutcome.Failed, r.Outcome);
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
    }

    [Fact]
    public void WarningCloseNotify_isAClose()
    {
        var r = Flight(Warning(0));
        Assert.Equal(HandshakeOutcome.Failed, r.Outcome);
        Assert.Equal(FailureKind.ConnectionClosed, r.Failure!.Kind);
    }

    [Fact]
    public void FatalHandshakeFailure_isStillARefusal()
    {
        var r = Flight(Fixtures.AlertRecord);
        Assert.Equal(HandshakeOutcome.Alert, r.Outcome);
    }

    private sealed class ScriptedFactory(Func<Stream> open) : ITlsConnectionFactory
    {
        public Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken) =>
            Task.FromResult(TlsConnectionAttempt.Connected(open()));
    }

    /// <summary>A connection whose read or write throws what a real one can.</summary>
    private sealed class ThrowingStream(Exception? read = null, Exception? write = null) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            read is null ? ValueTask.FromResult(0) : ValueTask.FromException<int>(read);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            write is null ? ValueTask.CompletedTask : ValueTask.FromException(write);

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
