using System.Diagnostics;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// One complete TLS session: connect, STARTTLS or direct TLS, handshake with SNI =
/// <see cref="XmppEndpoint.Domain"/> (ALPN <c>xmpp-client</c>/<c>xmpp-server</c> on direct TLS), any certificate
/// accepted and the presented chain recorded, then the XMPP stream over TLS and its features, then
/// <c>&lt;/stream:stream&gt;</c> and close_notify. First with the platform's default client (what an up-to-date client
/// negotiates): this project's engine sending SslStream's own ClientHello (<see cref="EngineTlsClient"/>), or SslStream
/// itself when the engine cannot finish what the server chose; when that fails inside the handshake, once more with the
/// <see cref="SessionClient.Observation"/> client (SslStream),
/// which accepts every protocol and suite OpenSSL 3 has here, so the stream after TLS and the chain as sent are observed
/// on old servers too. What neither can finish (SSLv3, RC4, 3DES, DES, export: not in Debian's OpenSSL 3) keeps both
/// reasons; the engine's assessment covers those servers. Never throws except when the caller cancels.
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
        var first = await AttemptAsync(endpoint, SessionClient.SystemDefault, ct, engine: !_connector.Options.SessionOnSslStream)
            .ConfigureAwait(false);
        if (first.EngineCannotFinish || first.EngineRefused)
        {
            // The server chose what a full TLS library does and the engine does not (x448, FFDHE, TLS 1.0/1.1), or the
            // engine found the handshake broken: the same client on SslStream, on a new connection, so that "the default
            // client cannot talk to this server" is only ever reported with the platform's own proof. A retry that does not
            // reach the handshake (a server that takes one connection) says nothing new: the engine's attempt stays.
            var platform = await AttemptAsync(endpoint, SessionClient.SystemDefault, ct, engine: false).ConfigureAwait(false);
            if (platform.ReachedHandshake)
            {
                first = platform;
            }
        }

        var used = first;
        ProbeFailure? defaultFailure = null;
        if (first.HandshakeFailed)
        {
            var second = await AttemptAsync(endpoint, SessionClient.Observation, ct).ConfigureAwait(false);
            defaultFailure = first.Failure;
            // A retry that did not even reach the handshake (refused, throttled) says nothing new: keep the first.
            if (second.ReachedHandshake)
            {
                used = second;
            }
        }

        // Operators see on /metrics how many sessions the engine finished and how many needed SslStream.
        NodeMetrics.TlsSessions.Add(1, new KeyValuePair<string, object?>("client", used.Session is null ? "none"
            : used.Client == SessionClient.Observation ? "observation" : used.UsedEngine ? "engine" : "sslstream"));
        return new TlsSessionResult(used.Facts.Build(), used.Session?.Protocol, used.Session?.CipherSuite, used.Session?.Alpn,
            [.. used.Presented], used.Failure, started.Elapsed)
        {
            ReachedHandshake = used.ReachedHandshake,
            Client = used.Session is null ? null : used.Client,
            OnEngine = used.UsedEngine && used.Session is not null,
            SystemDefaultFailure = defaultFailure,
        };
    }

    private sealed record Negotiated(SslProtocols Protocol, TlsCipherSuite CipherSuite, string? Alpn);

    /// <summary>One connection's session attempt with one client configuration.</summary>
    private sealed class Attempt(SessionClient client)
    {
        public SessionClient Client { get; } = client;
        public XmppFactsBuilder Facts { get; } = new();
        public ChainCapture Capture { get; } = new();
        public List<byte[]> EngineChain { get; } = [];
        public bool UsedEngine { get; set; }

        /// <summary>The engine met something it does not do; the attempt's other facts are to be discarded.</summary>
        public bool EngineCannotFinish { get; set; }

        /// <summary>The engine ended the handshake on a check of its own (malformed message, signature, Finished), not on the
        /// server's alert or close: SslStream confirms before it counts as the default client's failure.</summary>
        public bool EngineRefused { get; set; }

        /// <summary>The chain as sent, leaf first.</summary>
        public IReadOnlyList<byte[]> Presented => UsedEngine ? EngineChain : Capture.Presented;
        public Negotiated? Session { get; set; }
        public ProbeFailure? Failure { get; set; }
        public bool ReachedHandshake { get; set; }

        /// <summary>The ClientHello went out and no session came of it.</summary>
        public bool HandshakeFailed => ReachedHandshake && Session is null;
    }

    private async Task<Attempt> AttemptAsync(XmppEndpoint endpoint, SessionClient client, CancellationToken ct, bool engine = false)
    {
        var attempt = new Attempt(client) { UsedEngine = engine };
        try
        {
            await (engine ? RunEngineAsync(endpoint, attempt, ct) : RunCoreAsync(endpoint, attempt, ct)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Safety net: whatever slipped past the classified paths is still a result, not an exception.
            attempt.Failure = FailureClassifier.Classify(e);
        }

        return attempt;
    }

    private async Task RunCoreAsync(XmppEndpoint endpoint, Attempt attempt, CancellationToken ct)
    {
        var (connection, failure) = await _connector.ConnectCoreAsync(endpoint, attempt.Facts, ct).ConfigureAwait(false);
        if (connection is null)
        {
            attempt.Failure = failure;
            return;
        }

        var tls = new SslStream(connection, leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            attempt.ReachedHandshake = true;
            try
            {
                await tls.AuthenticateAsClientAsync(ClientOptions(endpoint, attempt.Capture, attempt.Client), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                attempt.Failure = FailureClassifier.Classify(e, connection, duringTlsHandshake: true);
                return;
            }

            var alpn = tls.NegotiatedApplicationProtocol;
            attempt.Session = new Negotiated(tls.SslProtocol, tls.NegotiatedCipherSuite,
                alpn.Protocol.IsEmpty ? null : alpn.ToString());
            attempt.Failure = await PostTlsStream.RunAsync(tls, endpoint, _connector.Options, _connector.Limits, attempt.Facts, ct)
                .ConfigureAwait(false);
            await ShutdownQuietlyAsync(tls).ConfigureAwait(false);
        }
    }

    /// <summary>The default client's session on the engine: the same steps as <see cref="RunCoreAsync"/>.</summary>
    private async Task RunEngineAsync(XmppEndpoint endpoint, Attempt attempt, CancellationToken ct)
    {
        var (connection, failure) = await _connector.ConnectCoreAsync(endpoint, attempt.Facts, ct).ConfigureAwait(false);
        if (connection is null)
        {
            attempt.Failure = failure;
            return;
        }

        EngineTlsSession session;
        attempt.ReachedHandshake = true;
        try
        {
            var alpn = endpoint.Transport == TlsTransport.DirectTls ? endpoint.Mode.AlpnProtocol() : null;
            session = await EngineTlsClient.HandshakeAsync(connection, endpoint.Domain, alpn, _connector.Limits, attempt.EngineChain, ct)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            attempt.EngineCannotFinish = e is EngineHandshakeException { CannotFinish: true };
            attempt.EngineRefused = e is EngineHandshakeException { CannotFinish: false, Failure.Kind: FailureKind.TlsHandshakeFailed or FailureKind.ProtocolError };
            attempt.Failure = FailureClassifier.Classify(e, connection, duringTlsHandshake: true);
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await using (session.Stream.ConfigureAwait(false))
        {
            attempt.Session = new Negotiated(session.Protocol, session.CipherSuite, session.Alpn);
            attempt.Failure = await PostTlsStream.RunAsync(session.Stream, endpoint, _connector.Options, _connector.Limits, attempt.Facts, ct)
                .ConfigureAwait(false);
            try
            {
                await session.Stream.ShutdownAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // close_notify is courtesy and the session's facts are complete; the server may have closed first.
            }
        }
    }

    /// <summary>The SslStream client options of a session; internal so a test can pin <see cref="SessionHello"/> to the hello they produce.</summary>
    internal static SslClientAuthenticationOptions ClientOptions(XmppEndpoint endpoint, ChainCapture capture, SessionClient client)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Domain,
            RemoteCertificateValidationCallback = capture.Validate,
            // None = whatever the OS (OpenSSL's system configuration) allows; the wire-level probes cover the rest.
            EnabledSslProtocols = SslProtocols.None,
            // .NET builds a path before calling the callback, and on Linux its default policy downloads a missing issuer
            // from the leaf's AIA URL: a third party contacted without --fetch-aia (measured by CensusAiaTests). Trust is
            // TrustEvaluator's, so that path is never used: no downloads, no revocation, and no system roots — with the
            // default trust mode every connection copied the ~144 roots of /etc/ssl/certs into a fresh OpenSSL store
            // (6.7 % of a census's CPU, issue 14); an empty custom root store builds nothing. ChainCapture reads only
            // the ExtraStore. A new policy per connection: SslStream adds the server's certificates to its ExtraStore.
            CertificateChainPolicy = new X509ChainPolicy
            {
                DisableCertificateDownloads = true,
                RevocationMode = X509RevocationMode.NoCheck,
                TrustMode = X509ChainTrustMode.CustomRootTrust,
            },
            // Every session is a full handshake: .NET would otherwise resume sessions across connections.
            AllowTlsResume = false,
            ApplicationProtocols = endpoint.Transport == TlsTransport.DirectTls
                ? [new SslApplicationProtocol(endpoint.Mode.AlpnProtocol())]
                : null,
        };
        if (client == SessionClient.Observation)
        {
            // Observation only, never trust (the callback accepts anything anyway; trust is TrustEvaluator's). Measured
            // 2026-12-05 with .NET 10 on Debian 12's OpenSSL 3.0: AllowNoEncryption makes SslStream use the cipher
            // string "ALL:eNULL" at security level 0, which with TLS 1.0–1.3 enabled completes handshakes with static-RSA,
            // CBC, Camellia, DHE-1024, anonymous-DH and NULL servers at TLS 1.0/1.1/1.2 — all of which the default client
            // refuses. SSLv3, RC4, 3DES, single DES and export suites are not in that OpenSSL at all.
#pragma warning disable SYSLIB0039, SYSLIB0040 // TLS 1.0/1.1 and NULL suites are the point: this client observes old servers.
            options.EnabledSslProtocols = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13;
            options.EncryptionPolicy = EncryptionPolicy.AllowNoEncryption;
#pragma warning restore SYSLIB0039, SYSLIB0040
        }

        return options;
    }

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
