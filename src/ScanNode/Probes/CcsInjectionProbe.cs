using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// CCS injection (CVE-2014-0224), one connection, as nmap's ssl-ccs-injection and rcvalle's ccsinjection.c
/// test it: after ServerHelloDone, a ChangeCipherSpec record (RFC 5246 §7.1: one byte, 1) goes out before any
/// key exchange. A fixed server answers unexpected_message at once. A vulnerable OpenSSL accepts it in
/// silence; a second ChangeCipherSpec is then read under keys derived from an empty master secret and fails
/// with bad_record_mac or decryption_failed. The second record is only sent after silence to the first.
/// </summary>
public sealed class CcsInjectionProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    public async Task<VulnerabilityProbeResult<CcsInjectionFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<CcsInjectionFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, context.LegacyHello(version), cancellationToken)
            .ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone)
        {
            return VulnerabilityProbeResult<CcsInjectionFacts>.Failed(ProbeOutcomes.FailureOf(flight), 1);
        }

        var ccs = ChangeCipherSpec(session.RecordVersion);
        if (await session.SendAsync(ccs).ConfigureAwait(false) is { } sendFailure)
        {
            return VulnerabilityProbeResult<CcsInjectionFacts>.Failed(sendFailure, 1);
        }

        var first = await session.ReadRecordAsync().ConfigureAwait(false);
        RecordReaction? secondReaction = null;
        string? secondAlert = null;
        if (first.Reaction == RecordReaction.NoAnswer)
        {
            // A write failure here means the server closed after all: that is the reaction.
            var failed = await session.SendAsync(ccs).ConfigureAwait(false);
            var second = failed is null ? await session.ReadRecordAsync().ConfigureAwait(false) : new NextRecord(RecordReaction.Closed, null, null);
            secondReaction = second.Reaction;
            secondAlert = second.Alert?.DescriptionName;
        }

        return VulnerabilityProbeResult<CcsInjectionFacts>.Completed(
            new CcsInjectionFacts(ProbeOutcomes.ProtocolOf(flight), first.Reaction, first.Alert?.DescriptionName, secondReaction, secondAlert),
            1);
    }

    /// <summary>A plaintext ChangeCipherSpec record: type 20, the version, length 1, value 1.</summary>
    public static byte[] ChangeCipherSpec(ushort recordVersion) =>
        TlsRecordWriter.Wrap(TlsContentType.ChangeCipherSpec, recordVersion, [1]);
}

/// <summary>The CCS injection check: vulnerable when the early ChangeCipherSpec was accepted (see <see cref="CcsInjectionFacts.Vulnerable"/>).</summary>
public sealed class CcsInjectionCheck : VulnerabilityCheck<CcsInjectionFacts>
{
    public const string Key = "ccs_injection";

    public override string Id => Key;

    public override string Title => "CCS injection (CVE-2014-0224)";

    public override int Order => 60;

    // The handshake state machine's answer to an early ChangeCipherSpec is the TLS library's code (OpenSSL before 1.0.1h
    // accepted it whatever the port or certificate), reached after a hello of the shared assessment; no option changes it.
    public override ProbeSharing Sharing => ProbeSharing.Service;

    protected override Task<VulnerabilityProbeResult<CcsInjectionFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new CcsInjectionProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(CcsInjectionFacts facts) => facts.Vulnerable switch
    {
        true => ProbeVerdict.Vulnerable("early ChangeCipherSpec accepted"),
        false => ProbeVerdict.Safe(facts.FirstAlert is { } a ? "alert " + a : facts.FirstReaction.ToString().ToLowerInvariant()),
        null => ProbeVerdict.Inconclusive(facts.FirstReaction.ToString().ToLowerInvariant()),
    };
}
