using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Session resumption, one to three connections.
/// <list type="number">
/// <item>A TLS 1.2 ClientHello (empty session_id, empty session_ticket extension, RFC 5077 §3.2) for the
/// suites and curves the assessment found accepted that <see cref="Tls12FullHandshake"/> can finish. The
/// ServerHello gives the first facts: session_id length, ticket extension echoed. The handshake is then
/// finished, which makes the server store the session and send its NewSessionTicket.</item>
/// <item>If a session ID was issued: a new connection offering it. Resumed = the server echoes it and goes
/// straight to ChangeCipherSpec (no Certificate, RFC 5246 §7.3 abbreviated handshake).</item>
/// <item>If a ticket came: a new connection presenting it with a fresh random session_id; resumed = that
/// session_id is echoed and the handshake is abbreviated (RFC 5077 §3.4).</item>
/// </list>
/// When the server accepts no suite this client can finish, one ClientHello with the usual suites gives the
/// first-flight facts only, with the reason. TLS 1.3 resumption (PSK) is encrypted and not measured.
/// </summary>
public sealed class SessionResumptionProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>Offset of legacy_session_id's length byte in a ClientHello handshake message:
    /// msg_type(1) length(3) client_version(2) random(32).</summary>
    private const int SessionIdOffset = 38;

    public async Task<VulnerabilityProbeResult<SessionResumptionFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<SessionResumptionFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        if (version != TlsVersion.Tls12)
        {
            return await FirstFlightOnlyAsync(context, version, 0, "resumption not tested: it needs TLS 1.2", cancellationToken).ConfigureAwait(false);
        }

        if (Tls12FullHandshake.OfferFor(context, out var why) is not { } offer)
        {
            return await FirstFlightOnlyAsync(context, version, 0, "resumption not tested: " + why, cancellationToken).ConfigureAwait(false);
        }

        var first = Tls12FullHandshake.Hello(context.ServerName, offer);
        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, first, cancellationToken).ConfigureAwait(false);
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || flight.ServerHello is null)
        {
            // Close this connection before the next one opens: under a per-server limit of one connection the
            // follow-up hello would otherwise wait for this one's slot forever (seen on static-RSA-only servers,
            // which answered the former AES-128-GCM-only hello with handshake_failure; the socket sat in CLOSE-WAIT).
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            // Without assessment facts a refusal only means no suite in common; with them it contradicts the
            // assessment, and the first-flight facts still come from the usual hello, the refusal in the note.
            return flight is { Outcome: HandshakeOutcome.Alert, Alert.Description: TlsAlertDescription.HandshakeFailure or TlsAlertDescription.InsufficientSecurity }
                ? await FirstFlightOnlyAsync(context, version, 1, context.Suites is { Count: > 0 }
                    ? "resumption not tested: a hello with suites the assessment found accepted was refused (alert " + flight.Alert.DescriptionName + ")"
                    : "resumption not tested: no suite in common for a full handshake", cancellationToken).ConfigureAwait(false)
                : VulnerabilityProbeResult<SessionResumptionFacts>.Failed(ProbeOutcomes.FailureOf(flight), 1);
        }

        CompletedTls12Session? completed;
        ProbeFailure? failure;
        await using (session)
        {
            if (!Tls12FullHandshake.CanComplete(flight))
            {
                return VulnerabilityProbeResult<SessionResumptionFacts>.Completed(
                    Facts(flight), 1, "resumption not tested: the server chose " + CipherSuiteRegistry.NameOf(flight.ServerHello.CipherSuite));
            }

            (completed, failure) = await Tls12FullHandshake.CompleteAsync(session, flight).ConfigureAwait(false);
            if (completed is not null)
            {
                // A clean close: OpenSSL drops a session from its cache when the connection ends in an error,
                // and a bare TCP close counts as one ("unexpected eof").
                await session.SendAsync(completed.Keys.Protect(TlsContentType.Alert, (ushort)TlsVersion.Tls12,
                    [(byte)TlsAlertLevel.Warning, (byte)TlsAlertDescription.CloseNotify])).ConfigureAwait(false);
            }
        }

        if (completed is null)
        {
            return VulnerabilityProbeResult<SessionResumptionFacts>.Completed(
                Facts(flight), 1, "resumption not tested: the first handshake did not complete (" + failure!.Message + ")");
        }

        using (completed)
        {
            var facts = Facts(flight) with
            {
                TicketLength = completed.Ticket?.Length,
                TicketLifetimeHint = completed.TicketLifetimeHint,
            };
            var count = 1;
            var sessionId = flight.ServerHello.SessionId;
            if (!sessionId.IsEmpty)
            {
                count++;
                facts = facts with { SessionIdResumed = await ResumesAsync(context, offer, sessionId, null, cancellationToken).ConfigureAwait(false) };
            }

            if (completed.Ticket is { IsEmpty: false } ticket)
            {
                count++;
                facts = facts with { TicketResumed = await ResumesAsync(context, offer, null, ticket, cancellationToken).ConfigureAwait(false) };
            }

            return VulnerabilityProbeResult<SessionResumptionFacts>.Completed(facts, count);
        }
    }

    private static SessionResumptionFacts Facts(HandshakeResult flight) =>
        new(ProbeOutcomes.ProtocolOf(flight), flight.ServerHello!.SessionId.Length, flight.ServerHello.SessionTicket);

    /// <summary>
    /// One connection offering <paramref name="sessionId"/> or <paramref name="ticket"/> (with a random
    /// 32-byte session_id); true if the server resumed, false if it did a full handshake, null if no ServerHello.
    /// </summary>
    private async Task<bool?> ResumesAsync(VulnerabilityProbeContext context, Tls12Offer offer, ImmutableArray<byte>? sessionId,
        ImmutableArray<byte>? ticket, CancellationToken cancellationToken)
    {
        var profile = Tls12FullHandshake.Hello(context.ServerName, offer, ticket: ticket) with { SessionIdLength = sessionId?.Length ?? 32 };
        var hello = ClientHelloBuilder.BuildHandshake(profile);
        if (sessionId is { } id)
        {
            id.AsSpan().CopyTo(hello.AsSpan(SessionIdOffset + 1));
        }

        var offered = hello.AsSpan(SessionIdOffset + 1, hello[SessionIdOffset]).ToArray();
        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, hello, (ushort)profile.RecordVersion, cancellationToken)
            .ConfigureAwait(false);
        await using (session)
        {
            if (flight.Outcome != HandshakeOutcome.ServerHello || flight.ServerHello is not { } sh)
            {
                return null;
            }

            // Abbreviated: the offered session_id comes back and ChangeCipherSpec follows the ServerHello directly.
            return sh.SessionId.AsSpan().SequenceEqual(offered) && flight.Certificates.IsEmpty && !flight.SawServerHelloDone;
        }
    }

    private async Task<VulnerabilityProbeResult<SessionResumptionFacts>> FirstFlightOnlyAsync(
        VulnerabilityProbeContext context, TlsVersion version, int used, string note, CancellationToken cancellationToken)
    {
        var r = await new HandshakeProbe(connections, limits).RunAsync(context.LegacyHello(version), cancellationToken).ConfigureAwait(false);
        return r.Outcome == HandshakeOutcome.ServerHello && r.ServerHello is not null
            ? VulnerabilityProbeResult<SessionResumptionFacts>.Completed(Facts(r), used + 1, note)
            : VulnerabilityProbeResult<SessionResumptionFacts>.Failed(ProbeOutcomes.FailureOf(r), used + 1);
    }
}

/// <summary>The session resumption check: a notice of what the server issues and resumes (no verdict either way).</summary>
public sealed class SessionResumptionCheck : VulnerabilityCheck<SessionResumptionFacts>
{
    public const string Key = "session_resumption";

    public override string Id => Key;

    public override string Title => "Session resumption";

    public override int Order => 70;

    // A session cache and ticket keys are state of one server context (OpenSSL keeps one per SSL_CTX; Prosody and
    // ejabberd make one per port and per certificate, and the application sets the session_id_context): another endpoint
    // of the service may resume differently, and no hello shows it.
    public override ProbeSharing Sharing => ProbeSharing.Endpoint;

    protected override Task<VulnerabilityProbeResult<SessionResumptionFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new SessionResumptionProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(SessionResumptionFacts facts) =>
        ProbeVerdict.Notice($"IDs {Resumed(facts.SessionIdIssued, facts.SessionIdResumed)}, tickets {Resumed(facts.TicketLength is > 0, facts.TicketResumed)}");

    private static string Resumed(bool issued, bool? resumed) => (issued, resumed) switch
    {
        (false, _) => "not issued",
        (true, true) => "resumed",
        (true, false) => "issued, not resumed",
        _ => "issued",
    };
}
