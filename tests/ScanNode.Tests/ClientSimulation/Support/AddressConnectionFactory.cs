using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;

/// <summary>Direct TLS to one loopback address and port (e.g. a testbed server on 127.1.0.x:5223); refuses anything else.</summary>
internal sealed class AddressConnectionFactory : ITlsConnectionFactory
{
    private readonly IPEndPoint _endPoint;

    public AddressConnectionFactory(IPEndPoint endPoint)
    {
        if (!IPAddress.IsLoopback(endPoint.Address)) throw new InvalidOperationException("tests connect to loopback only");
        _endPoint = endPoint;
    }

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient(_endPoint.AddressFamily) { NoDelay = true };
        try
        {
            await client.ConnectAsync(_endPoint, cancellationToken);
            return TlsConnectionAttempt.Connected(new OwnedStream(client));
        }
        catch (SocketException ex)
        {
            client.Dispose();
            return TlsConnectionAttempt.Failed(new ProbeFailure(FailureKind.Refused, ex.Message));
        }
    }

    /// <summary>The client's NetworkStream, disposing the client with it.</summary>
    private sealed class OwnedStream(TcpClient client) : Stream
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
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

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
