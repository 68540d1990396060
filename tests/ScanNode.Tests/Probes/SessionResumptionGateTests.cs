using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// The census and `scan` open every probe connection through a per-server gate of one connection at a time. A probe
/// that opens its next connection before closing the previous one waits for its own slot forever: seen on
/// static-RSA-only servers, which answer the resumption probe's AES-128-GCM hello with handshake_failure and then
/// keep the connection open (ours sat in CLOSE-WAIT; the scan never finished).
/// </summary>
public class SessionResumptionGateTests
{
    [Fact]
    public async Task HandshakeFailureOnTheFirstHello_closesItBeforeTheNextConnection_underAOneConnectionGate()
    {
        var connection = 0;
        // The second hello's outcome depends on the fake; what matters is that it is sent at all, after the first closed.
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            if (Interlocked.Increment(ref connection) == 1)
            {
                await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 40)); // handshake_failure, connection left open
            }
            else
            {
                await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            }

            await c.StaySilentAsync();
        });
        var gate = new OneConnectionGate(Factory(server));

        // A hang guard only: the assertion is on the outcome, which a deadlock turns into a cancelled probe.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var r = await new SessionResumptionProbe(gate, FastLimits).RunAsync(Tls12Only, guard.Token);

        // Before the fix the follow-up hello waited for the first connection's slot until the guard fired.
        Assert.False(guard.IsCancellationRequested, "the probe waited for its own connection slot");
        Assert.NotEqual(FailureKind.Cancelled, r.Failure?.Kind);
        Assert.Equal(0, gate.OpenedWhileAnotherWasOpen);
    }

    /// <summary>Like the node's per-IP gate at its default: a second connection waits until the first is closed.</summary>
    private sealed class OneConnectionGate(ITlsConnectionFactory inner) : ITlsConnectionFactory
    {
        private readonly SemaphoreSlim _slot = new(1, 1);
        private int _open;

        public int OpenedWhileAnotherWasOpen { get; private set; }

        public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _open) > 0)
            {
                OpenedWhileAnotherWasOpen++;
            }

            await _slot.WaitAsync(cancellationToken).ConfigureAwait(false);
            var attempt = await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (attempt.Stream is null)
            {
                _slot.Release();
                return attempt;
            }

            Interlocked.Increment(ref _open);
            return TlsConnectionAttempt.Connected(new ReleasingStream(attempt.Stream, () =>
            {
                Interlocked.Decrement(ref _open);
                _slot.Release();
            }));
        }
    }

    private sealed class ReleasingStream(Stream inner, Action onDispose) : Stream
    {
        private int _disposed;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await inner.DisposeAsync().ConfigureAwait(false);
                onDispose();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                inner.Dispose();
                onDispose();
            }

            base.Dispose(disposing);
        }
    }
}
