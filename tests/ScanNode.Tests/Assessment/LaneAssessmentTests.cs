using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// Two connections per server (<see cref="AssessmentOptions.MaxConnectionsPerServer"/> = 2) against real
/// <c>openssl s_server</c> configurations: the same report as the sequential run (but for the control hello, which
/// depends on which lane's hello came last), never more than two connections open, and the lanes do overlap.
/// </summary>
public class LaneAssessmentTests(ITestOutputHelper output)
{
    private static readonly ScanLimits Limits = ScanLimits.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(5),
        ConnectionTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<(TlsAssessmentReport Report, ConcurrencyWatch Watch)> AssessAsync(OpenSslServer server, int connections)
    {
        var watch = new ConcurrencyWatch(new LoopbackConnectionFactory(server.Port));
        var report = await new TlsAssessor(Limits, new AssessmentOptions { MaxConnectionsPerServer = connections })
            .AssessAsync(watch, "localhost", CancellationToken.None);
        output.WriteLine($"N={connections}: at most {watch.MaxOpen} open, {watch.Opened} opened");
        output.WriteLine(AssessmentText.Describe(report));
        return (report, watch);
    }

    [Theory]
    [InlineData("-serverpref -groups X448:P-256:X25519 -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256 -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256")]
    [InlineData("-no_tls1_1 -no_tls1 -groups P-384:X25519 -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:AES256-SHA256")]
    [InlineData("-serverpref -dhparam {oakley} -no_tls1_3 -cipher ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-SHA:AES128-SHA:@SECLEVEL=0")]
    [InlineData("-no_tls1_2 -no_tls1_3 -cipher ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0")]
    public async Task TwoConnections_sameReportAsSequential(string arguments)
    {
        var args = arguments.Split(' ');
        if (arguments.Contains("{oakley}"))
        {
            var dh = await DhParams.Oakley2Async();
            args = [.. args.Select(a => a == "{oakley}" ? dh : a)];
        }

        await using var server = await OpenSslServer.StartAsync(args);

        var (sequential, one) = await AssessAsync(server, 1);
        var (lanes, two) = await AssessAsync(server, 2);

        Assert.Equal(ProbeStatus.Completed, sequential.Status);
        Assert.Equal(1, one.MaxOpen);
        Assert.True(two.MaxOpen <= 2, $"{two.MaxOpen} open at once");
        // Suites, orders, key exchange, groups, signature algorithms, connections per probe and per protocol.
        Assert.Equal(AssessmentText.DescribeWithoutControl(sequential), AssessmentText.DescribeWithoutControl(lanes));
        Assert.Equal(one.Opened - AssessmentText.ControlHellos(sequential), two.Opened - AssessmentText.ControlHellos(lanes));
    }

    [Fact]
    public async Task TwoConnections_lanesOverlap_neverMoreThanTwoOpen()
    {
        await using var server = await OpenSslServer.StartAsync("-serverpref", "-groups", "P-256:X25519:P-384",
            "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:@SECLEVEL=0",
            "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256");

        var (report, watch) = await AssessAsync(server, 2);

        Assert.Equal(ProbeStatus.Completed, report.Status);
        Assert.Equal(2, watch.MaxOpen);
        Assert.True(watch.Overlaps > 0);
        Assert.Equal(report.Connections.Total, watch.Opened);
    }

    [Fact]
    public async Task HelloOnlyTls13Answers_secondLaneWaitsForTheShape_sameReport()
    {
        // A TLS 1.2 hello gets protocol_version: the first offer does not settle the hello shape, so lane B
        // starts only after TLS 1.2 (and the report is still the sequential one).
        await using var server = await OpenSslServer.StartAsync("-tls1_3", "-groups", "X25519:P-256");

        var (sequential, _) = await AssessAsync(server, 1);
        var (lanes, _) = await AssessAsync(server, 2);

        Assert.Equal(AssessmentText.DescribeWithoutControl(sequential), AssessmentText.DescribeWithoutControl(lanes));
    }

    [Fact]
    public async Task LongHelloIntolerantServer_compactShapeDecidedBeforeTheFork_sameReport()
    {
        var policy = new LegacyTlsPolicy
        {
            ServerPreference = true,
            MaxHelloBytes = 255,
            Suites = new() { [TlsVersion.Tls12] = [0x0035, 0x002F, 0x000A], [TlsVersion.Tls11] = [0x0035, 0x002F] },
        };

        var (sequential, _) = await AssessFakeAsync(policy, 1);
        var (lanes, hellos) = await AssessFakeAsync(policy, 2);

        Assert.Equal("compact", lanes.HelloProfile);
        Assert.Equal(AssessmentText.DescribeWithoutControl(sequential), AssessmentText.DescribeWithoutControl(lanes));
        // Only the first full hello and its compact retry precede the fork; every later hello is compact.
        Assert.All(hellos.Skip(2).Where(h => (h[0] & 0x80) == 0), h => Assert.True(h.Length <= 255, $"hello of {h.Length} bytes"));
    }

    [Fact]
    public async Task LegacyServer_ssl2Ssl3Tls10_sameReport()
    {
        var policy = new LegacyTlsPolicy
        {
            ServerPreference = true,
            Ssl2CipherKinds = [0x010080, 0x020080],
            Suites = new() { [TlsVersion.Ssl3] = [0x0005, 0x0003, 0x000A], [TlsVersion.Tls10] = [0x000A, 0x0014, 0x0004] },
        };

        var (sequential, _) = await AssessFakeAsync(policy, 1);
        var (lanes, _) = await AssessFakeAsync(policy, 2);

        Assert.Equal(AssessmentText.DescribeWithoutControl(sequential), AssessmentText.DescribeWithoutControl(lanes));
    }

    private async Task<(TlsAssessmentReport Report, List<byte[]> Hellos)> AssessFakeAsync(LegacyTlsPolicy policy, int connections)
    {
        // Fake time, as in FakeServerAssessmentTests: every read is answered and the legacy server declares no silence.
        await using var server = LegacyTlsServer.Start(policy);
        var report = await new SilenceClock().RunAsync(server, (factory, limits) =>
            new TlsAssessor(limits, new AssessmentOptions { MaxConnectionsPerServer = connections })
                .AssessAsync(factory, "legacy.test", CancellationToken.None));
        output.WriteLine($"N={connections}");
        output.WriteLine(AssessmentText.Describe(report));
        lock (server.ReceivedHellos)
        {
            return (report, [.. server.ReceivedHellos]);
        }
    }

    /// <summary>Counts connections open at once (from the start of the open to the stream's disposal).</summary>
    internal sealed class ConcurrencyWatch(ITlsConnectionFactory inner) : ITlsConnectionFactory
    {
        private int _open;
        private int _max;
        private int _opened;
        private int _overlaps;

        public int MaxOpen => Volatile.Read(ref _max);

        public int Opened => Volatile.Read(ref _opened);

        /// <summary>Opens that began while another connection was open.</summary>
        public int Overlaps => Volatile.Read(ref _overlaps);

        public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _open);
            Interlocked.Increment(ref _opened);
            if (now > 1) Interlocked.Increment(ref _overlaps);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            var attempt = await inner.OpenAsync(cancellationToken);
            if (attempt.Stream is not { } stream)
            {
                Interlocked.Decrement(ref _open);
                return attempt;
            }

            return TlsConnectionAttempt.Connected(new OnDispose(stream, () => Interlocked.Decrement(ref _open)));
        }
    }

    /// <summary>A stream that runs an action once when disposed.</summary>
    internal sealed class OnDispose(Stream inner, Action disposed) : Stream
    {
        private int _done;

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                Done();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            Done();
            GC.SuppressFinalize(this);
        }

        private void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) disposed();
        }
    }
}
