using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// RFC 7507 TLS_FALLBACK_SCSV: a ClientHello at the second-highest supported version with 0x5600 in the suite
/// list. A server that implements RFC 7507 answers inappropriate_fallback (86), since it supports a higher version
/// (§3); one that continues the handshake lets an attacker force the downgrade. A close or another alert is
/// compared with the same hello without the SCSV (a second connection): refused only with the SCSV = supported.
/// Skipped when the server supports only one version (SSLv2 is not counted: it has no SCSV).
/// </summary>
public sealed class FallbackScsvProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>TLS_FALLBACK_SCSV (RFC 7507 §2).</summary>
    public const ushort FallbackScsv = 0x5600;

    public async Task<VulnerabilityProbeResult<FallbackScsvFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        var versions = context.SupportedVersions.Where(v => v >= TlsVersion.Ssl3).Distinct().OrderDescending().ToList();
        if (versions.Count < 2)
        {
            return VulnerabilityProbeResult<FallbackScsvFacts>.Skipped("fewer than two versions from SSLv3 up are supported: no fallback exists");
        }

        var (highest, lower) = (versions[0], versions[1]);
        var r = await new HandshakeProbe(connections, limits).RunAsync(Hello(context, lower), cancellationToken).ConfigureAwait(false);
        FallbackReaction reaction;
        switch (r.Outcome)
        {
            case HandshakeOutcome.Alert when r.Alert!.Description == TlsAlertDescription.InappropriateFallback:
                reaction = FallbackReaction.InappropriateFallbackAlert;
                break;
            case HandshakeOutcome.Alert:
                reaction = FallbackReaction.OtherAlert;
                break;
            case HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest:
                reaction = FallbackReaction.HandshakeContinued;
                break;
            case HandshakeOutcome.Failed when r.Failure?.Kind == FailureKind.ConnectionClosed:
                reaction = FallbackReaction.Closed;
                break;
            case HandshakeOutcome.Failed when r.Failure?.Kind == FailureKind.Timeout:
                reaction = FallbackReaction.NoAnswer;
                break;
            default:
                return VulnerabilityProbeResult<FallbackScsvFacts>.Failed(ProbeOutcomes.FailureOf(r), 1);
        }

        if (reaction is not (FallbackReaction.Closed or FallbackReaction.NoAnswer or FallbackReaction.OtherAlert))
        {
            return VulnerabilityProbeResult<FallbackScsvFacts>.Completed(
                new FallbackScsvFacts(highest.Name(), lower.Name(), reaction, r.Alert?.DescriptionName,
                    r.ServerHello is not null ? ProbeOutcomes.ProtocolOf(r) : null),
                1);
        }

        // A close (or another alert) says nothing alone: some servers close on every handshake failure without an
        // alert. The same hello without the SCSV decides: answered → the SCSV was what the server refused.
        var plain = Hello(context, lower);
        var c = await new HandshakeProbe(connections, limits)
            .RunAsync(plain with { CipherSuites = [.. plain.CipherSuites.Where(s => s != FallbackScsv)] }, cancellationToken).ConfigureAwait(false);
        var answered = c.Outcome is HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest && c.NegotiatedVersion == (ushort)lower;
        var control = answered
            ? $"the same hello without the SCSV got a {ProbeOutcomes.ProtocolOf(c)} ServerHello"
            : "the same hello without the SCSV got no ServerHello either (" + ProbeOutcomes.FailureOf(c).Message + ")";
        return VulnerabilityProbeResult<FallbackScsvFacts>.Completed(
            new FallbackScsvFacts(highest.Name(), lower.Name(), answered ? FallbackReaction.RefusedOnlyWithScsv : reaction,
                r.Alert?.DescriptionName, null, control),
            2);
    }

    /// <summary>The probe's ClientHello: the usual hello for <paramref name="version"/> with the SCSV last (as browsers sent it).</summary>
    public static ClientHelloProfile Hello(VulnerabilityProbeContext context, TlsVersion version)
    {
        var suites = version == TlsVersion.Tls13
            ? [.. CipherSuiteRegistry.DefinedFor(TlsVersion.Tls13).Select(s => s.Code)]
            : context.SuitesFor(version);
        var hello = ClientHelloProfiles.For(version, suites, context.ServerName);
        return hello with { CipherSuites = [.. hello.CipherSuites, FallbackScsv] };
    }
}

/// <summary>The downgrade check (RFC 7507): safe on inappropriate_fallback or a refusal only with the SCSV, vulnerable
/// only when the handshake continued; a close or silence the control hello did not explain decides nothing (issue 15).</summary>
public sealed class FallbackScsvCheck : VulnerabilityCheck<FallbackScsvFacts>
{
    public const string Key = "fallback_scsv";

    public override string Id => Key;

    public override string Title => "Downgrade (TLS_FALLBACK_SCSV)";

    public override int Order => 30;

    // RFC 7507 is checked inside the library's version negotiation (OpenSSL, GnuTLS: no option turns it off), on the
    // two highest versions of the shared assessment, whose refusals and first offers the verification replayed.
    public override ProbeSharing Sharing => ProbeSharing.Service;

    protected override Task<VulnerabilityProbeResult<FallbackScsvFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new FallbackScsvProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(FallbackScsvFacts facts) => facts.Reaction switch
    {
        FallbackReaction.InappropriateFallbackAlert => ProbeVerdict.Safe("inappropriate_fallback"),
        FallbackReaction.HandshakeContinued => ProbeVerdict.Vulnerable($"{facts.NegotiatedProtocol ?? facts.OfferedProtocol} accepted"),
        FallbackReaction.OtherAlert => ProbeVerdict.Inconclusive("alert " + facts.Alert),
        FallbackReaction.RefusedOnlyWithScsv => ProbeVerdict.Safe("refused only with the SCSV"),
        FallbackReaction.Closed => ProbeVerdict.Inconclusive("closed without alert"),
        _ => ProbeVerdict.Inconclusive("no answer"),
    };
}
