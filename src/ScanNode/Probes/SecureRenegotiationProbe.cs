using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// RFC 5746 secure renegotiation, one connection: a ClientHello at the highest supported version ≤ TLS 1.2
/// that signals only with TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00FF), without the renegotiation_info
/// extension. A server that implements RFC 5746 must answer with an empty renegotiation_info (§3.6); a legacy
/// server sends none.
/// <para>Client-initiated renegotiation needs a completed session: see <see cref="ClientRenegotiationProbe"/>.</para>
/// </summary>
public sealed class SecureRenegotiationProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).</summary>
    public const ushort RenegotiationScsv = 0x00FF;

    public async Task<VulnerabilityProbeResult<SecureRenegotiationFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<SecureRenegotiationFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        var r = await new HandshakeProbe(connections, limits).RunAsync(Hello(context, version), cancellationToken).ConfigureAwait(false);
        if (r.Outcome != HandshakeOutcome.ServerHello || r.ServerHello is not { } hello)
        {
            return VulnerabilityProbeResult<SecureRenegotiationFacts>.Failed(ProbeOutcomes.FailureOf(r), 1);
        }

        return VulnerabilityProbeResult<SecureRenegotiationFacts>.Completed(
            new SecureRenegotiationFacts(
                ProbeOutcomes.ProtocolOf(r),
                hello.RenegotiationInfo is not null,
                hello.RenegotiationInfo?.Length ?? 0),
            1);
    }

    /// <summary>The probe's ClientHello: the legacy hello minus renegotiation_info, plus the SCSV last.</summary>
    public static ClientHelloProfile Hello(VulnerabilityProbeContext context, TlsVersion version)
    {
        var hello = context.LegacyHello(version);
        return hello with
        {
            CipherSuites = [.. hello.CipherSuites, RenegotiationScsv],
            Extensions = [.. hello.Extensions.Where(e => e.Type != TlsExtensionType.RenegotiationInfo)],
        };
    }
}

/// <summary>The secure renegotiation check (RFC 5746): safe when the server answered the SCSV with renegotiation_info.</summary>
public sealed class SecureRenegotiationCheck : VulnerabilityCheck<SecureRenegotiationFacts>
{
    public const string Key = "secure_renegotiation";

    public override string Id => Key;

    public override string Title => "Secure renegotiation";

    public override int Order => 10;

    // renegotiation_info in the ServerHello is the TLS library's RFC 5746 support (OpenSSL, GnuTLS and fast_tls always
    // answer the SCSV; no server option removes it), to a hello of the shared assessment plus the SCSV.
    public override ProbeSharing Sharing => ProbeSharing.Service;

    protected override Task<VulnerabilityProbeResult<SecureRenegotiationFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new SecureRenegotiationProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(SecureRenegotiationFacts facts) => facts.RenegotiationInfoReturned
        ? ProbeVerdict.Safe("supported")
        : ProbeVerdict.Vulnerable("not supported");
}
