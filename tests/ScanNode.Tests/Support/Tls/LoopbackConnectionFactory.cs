using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>Direct TCP to a loopback port (tests only: refuses any non-loopback address).</summary>
internal sealed class LoopbackConnectionFactory : ITlsConnectionFactory
{
    private readonly IPEndPoint _endPoint;
    private int _writes;

    public LoopbackConnectionFactory(int port)
        : this(IPAddress.Loopback, port)
    {
    }

    /// <summary>Any loopback address (the testbed's 127.1.0.x servers).</summary>
    public LoopbackConnectionFactory(IPAddress address, int port)
    {
        _endPoint = new IPEndPoint(address, port);
        if (!IPAddress.IsLoopback(_endPoint.Address)) throw new InvalidOperationException("tests connect to loopback only");
    }

    public int Connections { get; private set; }

    /// <summary>Writes made on this factory's connections so far (a fake clock stops once the probe sends again).</summary>
    public int Writes => Volatile.Read(ref _writes);

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        Connections++;
        var client = new TcpClient(_endPoint.AddressFamily) { NoDelay = true };
        try
        {
            await client.ConnectAsync(_endPoint, cancellationToken);
            return TlsConnectionAttempt.Connected(new OwningStream(client, () => Interlocked.Increment(ref _writes)));
        }
        catch (SocketException ex)
        {
            client.Dispose();
            return TlsConnectionAttempt.Failed(new ProbeFailure(FailureKind.Refused, ex.Message));
        }
    }

    /// <summary>A NetworkStream that also disposes its TcpClient.</summary>
    private sealed class OwningStream(TcpClient client, Action written) : Stream
    {
        private readonly NetworkStream _inner = client.GetStream();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            written();
            return _inner.WriteAsync(buffer, cancellationToken);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            written();
            _inner.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
