using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// A byte stream positioned at the TLS handshake (after <c>&lt;proceed/&gt;</c> for STARTTLS, right after the
/// TCP connect for direct TLS), or the failure that prevented it. The stream is a <see cref="BoundedStream"/>
/// that owns the socket and still enforces the per-read deadline, the connection deadline and
/// <see cref="ScanLimits.MaxBytesPerConnection"/>; dispose the result to close it.
/// </summary>
/// <param name="Stream">Null exactly when <paramref name="Failure"/> is set.</param>
/// <param name="Xmpp">What the server said before TLS.</param>
/// <param name="Failure">Why no stream is available.</param>
public sealed record TlsStartResult(Stream? Stream, XmppStreamFacts Xmpp, ProbeFailure? Failure) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
