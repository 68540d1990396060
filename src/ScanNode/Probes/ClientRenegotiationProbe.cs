using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Client-initiated renegotiation, one connection. .NET's SslStream cannot renegotiate as a client, so the
/// probe completes a TLS 1.2 handshake itself with one of three AES-128-GCM suites (ECDHE_RSA, ECDHE_ECDSA on
/// secp256r1/secp384r1, or static RSA) — ClientKeyExchange, ChangeCipherSpec, Finished; the server's
/// ChangeCipherSpec and Finished are read and authenticated — then sends a second ClientHello encrypted under
/// the session keys, with renegotiation_info = client verify_data when the server signalled RFC 5746
/// (§3.5). An encrypted ServerHello back means accepted; an alert (no_renegotiation) or a close, refused.
/// The certificate and the ServerKeyExchange signature are not verified: no secret is sent.
/// Skipped (with a note) when the server does not do TLS 1.2 with one of those suites.
/// </summary>
public sealed class ClientRenegotiationProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>The suites this probe can complete a handshake with, in offer order.</summary>
    public static IReadOnlyList<ushort> Suites => Tls12FullHandshake.Suites;

    /// <summary>Records read while waiting for the server's answer to the second ClientHello.</summary>
    private const int MaxRecordsRead = 8;

    public async Task<VulnerabilityProbeResult<ClientRenegotiationFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (!context.SupportedVersions.Contains(TlsVersion.Tls12))
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped("TLS 1.2 is not supported: the probe completes a TLS 1.2 handshake");
        }

        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, Hello(context.ServerName, null), cancellationToken)
            .ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone)
        {
            // handshake_failure / insufficient_security: none of the three suites (or curves) is acceptable.
            return flight is { Outcome: HandshakeOutcome.Alert, Alert.Description: TlsAlertDescription.HandshakeFailure or TlsAlertDescription.InsufficientSecurity }
                ? VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped(
                    "no AES-128-GCM suite in common for a full handshake (alert " + flight.Alert.DescriptionName + ")", 1)
                : VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(ProbeOutcomes.FailureOf(flight), 1);
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
        var second = ClientHelloBuilder.BuildHandshake(Hello(context.ServerName, secure ? clientVerify : null));
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

    /// <summary>The probe's ClientHello; <paramref name="clientVerifyData"/> goes into renegotiation_info on the renegotiation.</summary>
    public static ClientHelloProfile Hello(string? serverName, byte[]? clientVerifyData) =>
        Tls12FullHandshake.Hello(serverName, clientVerifyData);

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

    protected override Task<VulnerabilityProbeResult<ClientRenegotiationFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new ClientRenegotiationProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(ClientRenegotiationFacts facts) => facts.Outcome switch
    {
        ClientRenegotiation.Refused or ClientRenegotiation.RefusedOnlyWithScsv => ProbeVerdict.Safe(facts.Alert is { } a ? "refused, alert " + a : "refused"),
        ClientRenegotiation.Accepted when !facts.SecureRenegotiation => ProbeVerdict.Vulnerable("accepted, insecure"),
        ClientRenegotiation.Accepted => ProbeVerdict.Notice("accepted (secure; DoS concern)"),
        _ => ProbeVerdict.Inconclusive("no answer"),
    };
}
