using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// Whole TLS records over the connection the session owns: every read bounded by <see cref="ScanLimits.MaxTlsRecordBytes"/>
/// and by the stream's own deadlines (<see cref="BoundedStream"/>). Nothing is buffered between records, so an idle
/// session holds no record buffer (issue 14: memory per target in flight); a record costs two reads, header and body.
/// </summary>
internal sealed class RecordChannel(Stream stream, ScanLimits limits, CancellationToken sessionToken) : ITls12Flight
{
    private readonly CancellationToken _session = sessionToken;
    private readonly byte[] _header = new byte[TlsRecordHeader.Size];
    private readonly List<byte> _transcript = [];

    public Stream Stream => stream;

    public ScanLimits Limits => limits;

    /// <summary>The next record; throws <see cref="EndOfStreamException"/> on a close between records, the stream's
    /// exceptions on deadlines, <see cref="EngineHandshakeException"/> on a malformed or oversized header.</summary>
    /// <param name="token">A reader's own deadline (the XMPP layer's per-read timeout); the session's token if none.</param>
    public async Task<(TlsRecordHeader Header, byte[] HeaderBytes, byte[] Fragment)> ReadRecordAsync(CancellationToken token = default)
    {
        var ct = token.CanBeCanceled ? token : _session;
        var first = await stream.ReadAsync(_header.AsMemory(0, TlsRecordHeader.Size), ct).ConfigureAwait(false);
        if (first == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        await stream.ReadExactlyAsync(_header.AsMemory(first), ct).ConfigureAwait(false);
        var status = TlsRecordParser.TryReadHeader(_header, limits.MaxTlsRecordBytes, out var header, out _);
        if (status != ParseStatus.Complete)
        {
            throw EngineHandshakeException.Protocol("not a TLS record header: " + Convert.ToHexString(_header));
        }

        var fragment = new byte[header.Length];
        await stream.ReadExactlyAsync(fragment, ct).ConfigureAwait(false);
        return (header, [.. _header], fragment);
    }

    public async Task WriteAsync(byte[] records, CancellationToken token = default)
    {
        var ct = token.CanBeCanceled ? token : _session;
        await stream.WriteAsync(records, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    // ITls12Flight: what Tls12FullHandshake needs to finish a TLS 1.2 handshake on this connection.

    public IReadOnlyList<byte> Transcript => _transcript;

    public byte[] ClientRandom { get; set; } = [];

    public void AddToTranscript(ReadOnlySpan<byte> handshakeMessage) => _transcript.AddRange(handshakeMessage);

    /// <summary>Drops the TLS 1.2 transcript (the chain is in it) once the handshake is done: an established session
    /// keeps nothing it no longer needs (issue 14: memory per target in flight).</summary>
    public void ReleaseTranscript()
    {
        _transcript.Clear();
        _transcript.TrimExcess();
    }

    public async Task<ProbeFailure?> SendAsync(byte[] bytes)
    {
        try
        {
            await WriteAsync(bytes).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !_session.IsCancellationRequested)
        {
            return FailureClassifier.Classify(e, stream as BoundedStream, duringTlsHandshake: true);
        }
    }

    public async Task<(RecordReaction Reaction, TlsRecordHeader Header, byte[]? Fragment)> ReadRawRecordAsync()
    {
        try
        {
            var (header, _, fragment) = await ReadRecordAsync().ConfigureAwait(false);
            return (RecordReaction.Response, header, fragment);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_session.IsCancellationRequested)
        {
            return (FailureClassifier.Classify(e, stream as BoundedStream).Kind == FailureKind.Timeout ? RecordReaction.NoAnswer
                : RecordReaction.Closed, default, null);
        }
    }
}
