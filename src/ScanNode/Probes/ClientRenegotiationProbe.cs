using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Client-initiated renegotiation, one connection. .NET's SslStream cannot renegotiate as a client, so the
/// probe completes a TLS 1.2 handshake itself (<see cref="Tls12FullHandshake"/>) with a suite and curve the
/// assessment found the server accepts — ClientKeyExchange, ChangeCipherSpec, Finished; the server's
/// ChangeCipherSpec and Finished are read and authenticated — then sends a second ClientHello encrypted under
/// the session keys, with renegotiation_info = client verify_data when the server signalled RFC 5746
/// (§3.5). An encrypted ServerHello back means accepted; an alert (no_renegotiation) or a close, refused.
/// The certificate and the ServerKeyExchange signature are not verified: no secret is sent.
/// Skipped (with the reason) when the server does not do TLS 1.2, or accepts no suite this client can finish.
/// </summary>
public sealed class ClientRenegotiationProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>Records read while waiting for the server's answer to the second ClientHello.</summary>
    private const int MaxRecordsRead = 8;

    public async Task<VulnerabilityProbeResult<ClientRenegotiationFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (!context.SupportedVersions.Contains(TlsVersion.Tls12))
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped("TLS 1.2 is not supported: the probe completes a TLS 1.2 handshake");
        }

        if (Tls12FullHandshake.OfferFor(context, out var why) is not { } offer)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped(why!);
        }

        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, Tls12FullHandshake.Hello(context.ServerName, offer), cancellationToken)
            .ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone)
        {
            return NoFirstHandshake(context, flight);
        }

        var sh = flight.ServerHello!;
        var (completed, failure) = await Tls12FullHandshake.CompleteAsync(session, flight).ConfigureAwait(false);
        if (completed is null)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(failure!, 1);
        }

        using var __ = completed;
        var keys = completed.Keys;
        var clientVerify = completed.ClientVerifyData;
        var v = (ushort)TlsVersion.Tls12;
        var secure = sh.RenegotiationInfo is not null;
        var second = ClientHelloBuilder.BuildHandshake(Tls12FullHandshake.Hello(context.ServerName, offer, secure ? clientVerify : null));
        if (await session.SendAsync(keys.Protect(TlsContentType.Handshake, v, second)).ConfigureAwait(false) is { } renegFailure)
        {
            return Completed(sh, secure, ClientRenegotiation.Refused, null, renegFailure.Message);
        }

        for (var i = 0; i < MaxRecordsRead; i++)
        {
            var (reaction, header, fragment) = await session.ReadRawRecordAsync().ConfigureAwait(false);
            if (fragment is null)
            {
                return reaction == RecordReaction.NoAnswer
                    ? Completed(sh, secure, ClientRenegotiation.NoAnswer, null, null)
                    : Completed(sh, secure, ClientRenegotiation.Refused, null, "closed without an alert");
            }

            var record = keys.Unprotect(header, fragment);
            if (record is null)
            {
                return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(
                    new ProbeFailure(FailureKind.ProtocolError, "a record after Finished did not authenticate"), 1);
            }

            switch (header.ContentType)
            {
                case TlsContentType.Handshake when record.Length > 0 && record[0] == (byte)TlsHandshakeType.ServerHello:
                    return Completed(sh, secure, ClientRenegotiation.Accepted, null, null);
                case TlsContentType.Alert when HandshakeMessageParser.ParseAlert(record) is { IsComplete: true, Value: { } alert }:
                    return Completed(sh, secure, ClientRenegotiation.Refused, alert.DescriptionName, null);
            }

            // Anything else (a NewSessionTicket, application data) is skipped.
        }

        return Completed(sh, secure, ClientRenegotiation.NoAnswer, null, "no ServerHello or alert within " + MaxRecordsRead + " records");
    }

    /// <summary>
    /// Why the first handshake gave no session. handshake_failure/insufficient_security to a hello built from the
    /// assessment's accepted suites is a contradiction, reported as a failure; without assessment facts it only
    /// means no suite in common, and the probe is skipped.
    /// </summary>
    private static VulnerabilityProbeResult<ClientRenegotiationFacts> NoFirstHandshake(VulnerabilityProbeContext context, HandshakeResult flight)
    {
        if (flight is { Outcome: HandshakeOutcome.Alert, Alert.Description: TlsAlertDescription.HandshakeFailure or TlsAlertDescription.InsufficientSecurity }
            && context.Suites is not { Count: > 0 })
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped(
                "no suite in common for a full handshake (alert " + flight.Alert.DescriptionName + ")", 1);
        }

        var failure = ProbeOutcomes.FailureOf(flight);
        return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(
            context.Suites is { Count: > 0 } ? failure with { Message = "a hello with suites the assessment found accepted was refused: " + failure.Message } : failure, 1);
    }

    private static VulnerabilityProbeResult<ClientRenegotiationFacts> Completed(
        ServerHello sh, bool secure, ClientRenegotiation outcome, string? alert, string? note) =>
        VulnerabilityProbeResult<ClientRenegotiationFacts>.Completed(
            new ClientRenegotiationFacts(TlsVersion.Tls12.Name(), CipherSuiteRegistry.NameOf(sh.CipherSuite), secure, outcome, alert), 1, note);
}

/// <summary>The client-initiated renegotiation check: vulnerable when accepted without RFC 5746 (CVE-2009-3555);
/// accepted with it is a notice (the DoS concern), silence decides nothing.</summary>
public sealed class ClientRenegotiationCheck : VulnerabilityCheck<ClientRenegotiationFacts>
{
    public const string Key = "client_renegotiation";

    public override string Id => Key;

    public override string Title => "Client renegotiation";

    public override int Order => 20;

    // Whether a ClientHello inside the session is answered is an option of the server's context, not of the handshake
    // the verification sees (OpenSSL's SSL_OP_NO_RENEGOTIATION, .NET's AllowRenegotiation), and Prosody (ssl.options)
    // and ejabberd (protocol_options) set such options per port. Other domains on one listening socket share them.
    public override ProbeSharing Sharing => ProbeSharing.Listener;

    protected override Task<VulnerabilityProbeResult<ClientRenegotiationFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new ClientRenegotiationProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(ClientRenegotiationFacts facts) => facts.Outcome switch
    {
        ClientRenegotiation.Refused => ProbeVerdict.Safe(facts.Alert is { } a ? "refused, alert " + a : "refused"),
        ClientRenegotiation.Accepted when !facts.SecureRenegotiation => ProbeVerdict.Vulnerable("accepted, insecure"),
        ClientRenegotiation.Accepted => ProbeVerdict.Notice("accepted (secure; DoS concern)"),
        _ => ProbeVerdict.Inconclusive("no answer"),
    };
}
