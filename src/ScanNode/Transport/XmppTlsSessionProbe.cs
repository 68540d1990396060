using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// One complete, ordinary TLS session with .NET's SslStream (OS default protocols and suites): connect,
/// STARTTLS or direct TLS, handshake with SNI = <see cref="XmppEndpoint.Domain"/> (ALPN
/// <c>xmpp-client</c>/<c>xmpp-server</c> on direct TLS), any certificate accepted and the presented chain
/// recorded, then the XMPP stream over TLS and its features, then <c>&lt;/stream:stream&gt;</c> and
/// close_notify. Never throws except when the caller cancels.
/// </summary>
public sealed class XmppTlsSessionProbe
{
    private readonly XmppTlsConnector _connector;

    public XmppTlsSessionProbe(ScanLimits limits, XmppConnectorOptions? options = null)
    {
        _connector = new XmppTlsConnector(limits, options);
    }

    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public async Task<TlsSessionResult> RunAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var facts = new XmppFactsBuilder();
        var capture = new ChainCapture();
        Negotiated? session = null;
        ProbeFailure? failure;
        try
        {
            (session, failure) = await RunCoreAsync(endpoint, facts, capture, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Safety net: whatever slipped past the classified paths is still a result, not an exception.
            failure = FailureClassifier.Classify(e);
        }
        return new TlsSessionResult(facts.Build(), session?.Protocol, session?.CipherSuite, session?.Alpn,
            capture.Presented.ToArray(), failure, started.Elapsed);
    }

    private sealed record Negotiated(SslProtocols Protocol, TlsCipherSuite CipherSuite, string? Alpn);

    private async Task<(Negotiated? Session, ProbeFailure? Failure)> RunCoreAsync(XmppEndpoint endpoint,
        XmppFactsBuilder facts, ChainCapture capture, CancellationToken ct)
    {
        var (connection, failure) = await _connector.ConnectCoreAsync(endpoint, facts, ct).ConfigureAwait(false);
        if (connection is null) return (null, failure);

        var tls = new SslStream(connection, leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            try
            {
                await tls.AuthenticateAsClientAsync(ClientOptions(endpoint, capture), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                return (null, FailureClassifier.Classify(e, connection, duringTlsHandshake: true));
            }

            var alpn = tls.NegotiatedApplicationProtocol;
            var negotiated = new Negotiated(tls.SslProtocol, tls.NegotiatedCipherSuite,
                alpn.Protocol.IsEmpty ? null : alpn.ToString());
            failure = await PostTlsStream.RunAsync(tls, endpoint, _connector.Options, _connector.Limits, facts, ct)
                .ConfigureAwait(false);
            await ShutdownQuietlyAsync(tls).ConfigureAwait(false);
            return (negotiated, failure);
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(XmppEndpoint endpoint, ChainCapture capture) => new()
    {
        TargetHost = endpoint.Domain,
        RemoteCertificateValidationCallback = capture.Validate,
        // None = whatever the OS (OpenSSL's system configuration) allows; the wire-level probes cover the rest.
        EnabledSslProtocols = SslProtocols.None,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // Every session is a full handshake: .NET would otherwise resume sessions across connections.
        AllowTlsResume = false,
        ApplicationProtocols = endpoint.Transport == TlsTransport.DirectTls
            ? [new SslApplicationProtocol(endpoint.Mode.AlpnProtocol())]
            : null,
    };

    private static async Task ShutdownQuietlyAsync(SslStream tls)
    {
        try
        {
            await tls.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // close_notify is courtesy and the session's facts are complete. OpenSSL refuses it in some states
            // (e.g. "shutdown while in init" after a TLS 1.3 server rejected our missing client certificate).
        }
    }
}
