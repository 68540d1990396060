using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// TLS compression (CRIME, CVE-2012-4929), one connection: a ClientHello at the highest supported version
/// ≤ TLS 1.2 whose compression_methods are DEFLATE (1, RFC 3749), then null (0, required by RFC 5246
/// §7.4.1.2). The ServerHello's compression_method is the fact. TLS 1.3 has no compression (RFC 8446 §4.1.2).
/// </summary>
public sealed class CompressionProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>DEFLATE (RFC 3749 §2), then null.</summary>
    public static IReadOnlyList<byte> OfferedMethods { get; } = [1, 0];

    public async Task<VulnerabilityProbeResult<CompressionFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<CompressionFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        var hello = context.LegacyHello(version) with { CompressionMethods = [.. OfferedMethods] };
        var r = await new HandshakeProbe(connections, limits).RunAsync(hello, cancellationToken).ConfigureAwait(false);
        if (r.Outcome != HandshakeOutcome.ServerHello || r.ServerHello is not { } sh)
        {
            return VulnerabilityProbeResult<CompressionFacts>.Failed(ProbeOutcomes.FailureOf(r), 1);
        }

        return VulnerabilityProbeResult<CompressionFacts>.Completed(
            new CompressionFacts(ProbeOutcomes.ProtocolOf(r), [.. OfferedMethods.Select(m => (int)m)], sh.CompressionMethod), 1);
    }
}

/// <summary>The CRIME check: vulnerable when the server chose a compression method other than null.</summary>
public sealed class CompressionCheck : VulnerabilityCheck<CompressionFacts>
{
    public const string Key = "compression";

    public override string Id => Key;

    public override string Title => "Compression (CRIME)";

    public override int Order => 40;

    // Compression is an option of the server's context (OpenSSL SSL_OP_NO_COMPRESSION, ejabberd's no_compression
    // protocol_option per listener), and no verification hello offers DEFLATE: shared on the same listening socket only.
    public override ProbeSharing Sharing => ProbeSharing.Listener;

    protected override Task<VulnerabilityProbeResult<CompressionFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new CompressionProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(CompressionFacts facts) => facts.Compressed
        ? ProbeVerdict.Vulnerable($"method {facts.SelectedMethod} chosen")
        : ProbeVerdict.Safe("null compression");
}
