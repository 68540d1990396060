using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Session resumption support as one first flight shows it, one connection: a ClientHello at the highest
/// supported version ≤ TLS 1.2 with an empty session_id and an empty session_ticket extension (RFC 5077
/// §3.2). Facts: the length of the session_id the server issues (RFC 5246 §7.4.1.3: empty = it will not
/// cache the session) and whether it acknowledged the ticket extension (it will send NewSessionTicket).
/// <para>Whether a second connection is actually resumed is not measured: the server stores a session only
/// after both Finished messages, which the raw engine never sends. SslStream would complete handshakes, but
/// it exposes no "session reused" fact (only byte counts would hint at it), so that is left out. TLS 1.3
/// tickets are encrypted and out of reach of a first-flight probe.</para>
/// </summary>
public sealed class SessionResumptionProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    public async Task<VulnerabilityProbeResult<SessionResumptionFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<SessionResumptionFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        var r = await new HandshakeProbe(connections, limits).RunAsync(context.LegacyHello(version), cancellationToken).ConfigureAwait(false);
        if (r.Outcome != HandshakeOutcome.ServerHello || r.ServerHello is not { } sh)
        {
            return VulnerabilityProbeResult<SessionResumptionFacts>.Failed(ProbeOutcomes.FailureOf(r), 1);
        }

        return VulnerabilityProbeResult<SessionResumptionFacts>.Completed(
            new SessionResumptionFacts(ProbeOutcomes.ProtocolOf(r), sh.SessionId.Length, sh.SessionTicket), 1);
    }
}
