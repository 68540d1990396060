using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Opens one connection positioned where the TLS handshake starts: right after <c>&lt;proceed/&gt;</c> for
/// STARTTLS, at the first byte for direct TLS. Probes open one connection per ClientHello.
/// </summary>
public interface ITlsConnectionFactory
{
    /// <summary>A fresh connection, or the reason there is none (DNS, refused, StartTlsRejected, …).</summary>
    Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>The result of <see cref="ITlsConnectionFactory.OpenAsync"/>: a stream the caller owns, or a failure.</summary>
public sealed class TlsConnectionAttempt : IAsyncDisposable
{
    private TlsConnectionAttempt(Stream? stream, ProbeFailure? failure)
    {
        Stream = stream;
        Failure = failure;
    }

    /// <summary>The connection; null when <see cref="Failure"/> is set.</summary>
    public Stream? Stream { get; }

    public ProbeFailure? Failure { get; }

    public static TlsConnectionAttempt Connected(Stream stream) => new(stream, null);

    public static TlsConnectionAttempt Failed(ProbeFailure failure) => new(null, failure);

    public ValueTask DisposeAsync() => Stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
