using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Connections to one XMPP endpoint for the wire-level probes: each <see cref="OpenAsync"/> is a new TCP
/// connection plus, for STARTTLS, the XMPP preamble up to <c>&lt;proceed/&gt;</c> (direct TLS: the bare
/// socket). The stream is handed over at the first TLS byte.
/// <para>With <paramref name="pipelined"/> (a connector whose <see cref="XmppConnectorOptions.PipelineStartTls"/>
/// is on, given only once a normal connection proved the server offers STARTTLS and answers it), STARTTLS
/// connections send the stream header and <c>&lt;starttls/&gt;</c> in one write: one round trip less each.
/// RFC 6120 §5.4.2.1 has the client wait for the features, so a server may still object: if a pipelined
/// preamble fails before TLS (stream error, STARTTLS refused or not seen), that connection is retried once
/// without pipelining, and pipelining is off for the rest of this factory's life.</para>
/// <para>A connection the server refused by throttling (<see cref="ThrottleSignals"/>) is remembered in
/// <see cref="Throttled"/>: the probes see it as a failed connection, so a census step that finds it set must not
/// trust what they concluded.</para>
/// </summary>
public sealed class XmppTlsConnectionFactory(XmppTlsConnector connector, XmppEndpoint endpoint, XmppTlsConnector? pipelined = null)
    : ITlsConnectionFactory
{
    private bool _pipelineFailed;

    public XmppEndpoint Endpoint => endpoint;

    /// <summary>Connections opened with the pipelined preamble.</summary>
    public int PipelinedConnections { get; private set; }

    /// <summary>What made pipelining stop, if it did.</summary>
    public ProbeFailure? PipelineFailure { get; private set; }

    /// <summary>The first connection the server refused by throttling (reset, <c>policy-violation</c>), if any.</summary>
    public ProbeFailure? Throttled => Volatile.Read(ref _throttled);

    private ProbeFailure? _throttled;

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        if (pipelined is not null && !_pipelineFailed && endpoint.Transport == TlsTransport.StartTls)
        {
            var (first, xmpp) = await OpenWithAsync(pipelined, cancellationToken).ConfigureAwait(false);
            if (first.Failure is not { Kind: FailureKind.StreamError or FailureKind.StartTlsRejected or FailureKind.StartTlsNotOffered or FailureKind.ProtocolError } f)
            {
                PipelinedConnections++;
                return Watch(first, xmpp);
            }

            _pipelineFailed = true;
            PipelineFailure = f;
        }

        var (attempt, facts) = await OpenWithAsync(connector, cancellationToken).ConfigureAwait(false);
        return Watch(attempt, facts);
    }

    /// <summary>Remembers throttling in the answer handed to the probe (a pipelined preamble's stream error is retried
    /// without pipelining first, so only the retry's answer counts).</summary>
    private TlsConnectionAttempt Watch(TlsConnectionAttempt attempt, Shared.Xmpp.XmppStreamFacts xmpp)
    {
        if (attempt.Stream is null && ThrottleSignals.IsThrottling(attempt.Failure, xmpp))
        {
            Interlocked.CompareExchange(ref _throttled, attempt.Failure, null);
        }

        return attempt;
    }

    private async Task<(TlsConnectionAttempt Attempt, Shared.Xmpp.XmppStreamFacts Xmpp)> OpenWithAsync(XmppTlsConnector with,
        CancellationToken cancellationToken)
    {
        var start = await with.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return (start.Stream is { } stream
            ? TlsConnectionAttempt.Connected(stream)
            : TlsConnectionAttempt.Failed(start.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream")), start.Xmpp);
    }
}
