using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// Hands TLS probes a byte stream positioned at the TLS handshake of an XMPP endpoint: TCP connect to
/// <see cref="XmppEndpoint.Address"/>, then for STARTTLS the XMPP preamble up to <c>&lt;proceed/&gt;</c> with
/// <see cref="XmppEndpoint.Domain"/> as the stream <c>to</c>. Never throws except when the caller cancels.
/// </summary>
public sealed class XmppTlsConnector
{
    private readonly ScanLimits _limits;
    private readonly XmppConnectorOptions _options;

    public XmppTlsConnector(ScanLimits limits, XmppConnectorOptions? options = null)
    {
        _limits = limits;
        _options = options ?? XmppConnectorOptions.Default;
    }

    /// <summary>Connects and, for STARTTLS, negotiates up to <c>&lt;proceed/&gt;</c>.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public async Task<TlsStartResult> ConnectAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        var facts = new XmppFactsBuilder();
        var (stream, failure) = await ConnectCoreAsync(endpoint, facts, ct).ConfigureAwait(false);
        return new TlsStartResult(stream, facts.Build(), failure);
    }

    /// <summary>The shared first half of the connector and the session probe.</summary>
    internal async Task<(BoundedStream? Stream, ProbeFailure? Failure)> ConnectCoreAsync(XmppEndpoint endpoint,
        XmppFactsBuilder facts, CancellationToken ct)
    {
        BoundedStream? stream = null;
        ConnectionPermit? permit = null;
        try
        {
            if (_options.Gate is { } gate)
            {
                permit = await gate.EnterAsync(endpoint, ct).ConfigureAwait(false);
                if (permit.Denied is { } denied) return (null, denied);
            }

            stream = await TcpConnect.ConnectAsync(endpoint, _limits, ct, permit).ConfigureAwait(false);
            permit = null; // the connection owns it now
            if (endpoint.Transport == TlsTransport.StartTls)
            {
                await StartTlsNegotiation.NegotiateAsync(stream, endpoint, _options, _limits, facts, ct).ConfigureAwait(false);
            }
            var ready = stream;
            stream = null;
            return (ready, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            if (e is StreamErrorException se) facts.StreamError = se.Info;
            return (null, FailureClassifier.Classify(e, stream));
        }
        finally
        {
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            permit?.Dispose();
        }
    }

    internal ScanLimits Limits => _limits;
    internal XmppConnectorOptions Options => _options;
}
