using System.Security.Authentication;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The certificate inspection after the TLS assessment, as <c>xmppscan scan</c> does it (<see cref="CertificateInspector"/>):
/// the per-key-type chains and OCSP staple of TLS ≤ 1.2 (at most two connections, one fewer when the recorded
/// assessment saw no ECDSA suite), DANE at the SRV target, the chain walk, and the chain the session stored (read back
/// from the certificate table) assessed with them. Fact: <c>endpoint_certificate_inspected</c>, replacing the session's
/// plain assessment in the endpoint report. With <paramref name="aia"/> (the census's <c>--fetch-aia</c>) a missing issuer
/// is fetched from its AIA URL, as the scan does. Skipped when there is no chain to inspect (the session never reached TLS).
/// </summary>
public sealed class CertificateStep(
    CertificateAssessor assessor,
    TrustStore anchors,
    ScanLimits limits,
    XmppTlsConnector connector,
    ICertificateSource certificates,
    DaneLookup? dane = null,
    AiaIssuerFetcher? aia = null) : IScanStep
{
    public const string StepName = "certificate";

    private readonly KeyTypeChainProbe _keyTypes = new(limits);

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = WireStepInput.Endpoint(input, StepName);
        // Whether the session got far enough into TLS for the key-type hellos is the inspector's rule, as in the scan.
        if (WireStepInput.Report(input) is not { } report)
        {
            return WireStepInput.Skipped;
        }

        var chain = new List<byte[]>();
        foreach (var sha in input.State.Mode(input.Mode).Chains.GetValueOrDefault(input.EndpointIndex!.Value, []))
        {
            // The session put every DER before it recorded its hash, so a missing one is a store fault, not a finding.
            chain.Add(await certificates.GetAsync(sha, ct).ConfigureAwait(false)
                ?? throw new InvalidDataException($"certificate {sha} is not in the certificate table"));
        }

        // The chain the assessment's handshakes received, for a server whose session got none (SSLv2/SSLv3-only).
        var engineChain = new List<byte[]>();
        foreach (var sha in report.Assessment?.ChainSha256 ?? [])
        {
            if (await certificates.GetAsync(sha, ct).ConfigureAwait(false) is { } der)
            {
                engineChain.Add(der);
            }
        }

        XmppTlsConnectionFactory? opened = null;
        var inspector = new CertificateInspector(assessor, anchors, _keyTypes,
            e => opened = new XmppTlsConnectionFactory(connector, e), dane, aia: aia);
        var certificate = await inspector.InspectAsync(endpoint, Session(report, chain),
            input.State.Mode(input.Mode).Dns?.SrvDnssec ?? DnssecStatus.Unknown, ct, report.Assessment, engineChain).ConfigureAwait(false);
        if (opened?.Throttled is { } throttled)
        {
            return new StepOutcome(StepStatus.Inconclusive, throttled with { Message = $"{StepName}: throttled: {throttled.Message}" }, [],
                Throttled: true);
        }

        return certificate is null
            ? WireStepInput.Skipped
            : StepOutcome.Done(new EndpointCertificateInspected(input.Mode, input.EndpointIndex.Value, certificate));
    }

    /// <summary>What the inspector reads of the session, rebuilt from its recorded report and stored chain: whether TLS
    /// was reached (the version's value does not matter to it) and the chain as sent.</summary>
    private static TlsSessionResult Session(EndpointReport report, IReadOnlyList<byte[]> chain) =>
        new(report.Xmpp ?? XmppStreamFacts.Empty, report.Tls?.Protocol is null ? null : SslProtocols.None, null, report.Tls?.Alpn, chain,
            report.Failure, TimeSpan.FromMilliseconds(report.ElapsedMs))
        {
            ReachedHandshake = report.Tls is not null,
        };
}
