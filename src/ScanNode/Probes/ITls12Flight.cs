using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>A connection past the server's first TLS 1.2 flight, as <see cref="Tls12FullHandshake"/> finishes it: the
/// probes' <see cref="FirstFlightSession"/> and the session engine's record channel.</summary>
internal interface ITls12Flight
{
    /// <summary>Every handshake message so far, sent and received (RFC 5246 §7.4.9).</summary>
    IReadOnlyList<byte> Transcript { get; }

    /// <summary>ClientHello.random.</summary>
    byte[] ClientRandom { get; }

    void AddToTranscript(ReadOnlySpan<byte> handshakeMessage);

    /// <summary>Writes records we built; null on success, else why not.</summary>
    Task<ProbeFailure?> SendAsync(byte[] bytes);

    /// <summary>The next whole record as it is on the wire.</summary>
    Task<(RecordReaction Reaction, TlsRecordHeader Header, byte[]? Fragment)> ReadRawRecordAsync();
}
