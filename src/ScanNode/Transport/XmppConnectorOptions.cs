using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>Choices for how the scanner presents itself on an XMPP stream.</summary>
public sealed record XmppConnectorOptions
{
    /// <summary>The <c>from</c> of our s2s stream header (RFC 6120 §4.7.1). <c>.invalid</c> (RFC 2606) by
    /// default, so no server can dial back to anyone real.</summary>
    public string S2sFromDomain { get; init; } = "xmppscan.invalid";

    /// <summary>
    /// Send the stream header and <c>&lt;starttls/&gt;</c> in one write instead of waiting for the features
    /// first: one round trip less per connection. RFC 6120 §5.4.2.1 has the client wait for the features, so
    /// it is off by default; Prosody 0.12 accepts it. The pre-TLS features are still read and recorded; if
    /// they do not offer STARTTLS the result is StartTlsNotOffered as without pipelining.
    /// </summary>
    public bool PipelineStartTls { get; init; }

    /// <summary>
    /// Consulted before every TCP connect (census politeness: per-IP limits and spacing, the blocklist); the
    /// permit is held until the connection is closed. Null: connect at once.
    /// </summary>
    public IConnectionGate? Gate { get; init; }

    /// <summary>
    /// Run the session's default client on .NET's SslStream (OpenSSL) instead of this project's engine. The engine
    /// sends the same ClientHello and is the default (issue 14: an OpenSSL connection per target in flight cost
    /// ~55 KiB and half of a depth-session census's CPU); SslStream remains the fallback for what the engine cannot
    /// finish and the observation client for old servers. For comparisons and the tests that pin the two together.
    /// </summary>
    public bool SessionOnSslStream { get; init; }

    /// <summary>Defaults.</summary>
    public static XmppConnectorOptions Default { get; } = new();

    /// <summary>What <c>scan</c> and a census node both connect with: every connection through <paramref name="gate"/>, the
    /// sessions on the TLS client <paramref name="sessionTls"/> names (<c>--session-tls</c>).</summary>
    public static XmppConnectorOptions Gated(IConnectionGate gate, SessionTls sessionTls) =>
        Default with { Gate = gate, SessionOnSslStream = sessionTls == SessionTls.SslStream };
}

/// <summary>Decides whether and when a connection to an endpoint may be opened.</summary>
public interface IConnectionGate
{
    /// <summary>Waits until a connection to <paramref name="endpoint"/> is allowed; the permit is released when
    /// the connection closes. A refused permit (<see cref="ConnectionPermit.Denied"/>) sends nothing.</summary>
    ValueTask<ConnectionPermit> EnterAsync(XmppScanCluster.Shared.Model.XmppEndpoint endpoint, CancellationToken ct);
}

/// <summary>Permission for one connection, released (once) on dispose; or a refusal with its reason. <see cref="Started"/>
/// tells the gate the connection's SYN is out (its politeness spacing counts from then).</summary>
public sealed class ConnectionPermit : IDisposable
{
    private Action? _release;
    private Action? _started;

    private ConnectionPermit(Action? release, Action? started, XmppScanCluster.Shared.Model.ProbeFailure? denied)
    {
        _release = release;
        _started = started;
        Denied = denied;
    }

    /// <summary>Why the connection may not be made; null when it may.</summary>
    public XmppScanCluster.Shared.Model.ProbeFailure? Denied { get; }

    public static ConnectionPermit Granted(Action? release, Action? started = null) => new(release, started, null);

    public static ConnectionPermit Refused(XmppScanCluster.Shared.Model.ProbeFailure reason) => new(null, null, reason);

    /// <summary>The connection's SYN is out (once).</summary>
    public void Started() => Interlocked.Exchange(ref _started, null)?.Invoke();

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
