using System.Reflection;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Scanning;

/// <summary>Runs an interactive scan: every domain in every requested mode, reporting each as it finishes.
/// With <paramref name="assess"/>, every endpoint that negotiated TLS also gets the wire-level TLS assessment. Every step
/// and connection is told to <paramref name="progress"/>.</summary>
public sealed class ScanRunner(ScanSettings settings, bool assess = true, IScanProgress? progress = null)
{
    public static string ToolVersion { get; } =
        typeof(ScanRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    public async Task<ScanReport> RunAsync(Func<DomainReport, CancellationToken, Task> onDomain, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var dns = new DnsResolver(settings.Dns);
        var assessor = new CertificateAssessor(settings.Anchors);
        var gated = progress is null ? XmppConnectorOptions.Default : XmppConnectorOptions.Default with { Gate = new ProgressGate(progress) };
        var connector = new XmppTlsConnector(settings.Limits, gated);
        using var aia = settings.FetchAia ? new AiaIssuerFetcher() : null;
        var scanner = new DomainScanner(
            new EndpointDiscovery(dns),
            new XmppTlsSessionProbe(settings.Limits, gated),
            assessor,
            new CertificateInspector(assessor, settings.Anchors, new KeyTypeChainProbe(settings.Limits),
                endpoint => new XmppTlsConnectionFactory(connector, endpoint), new DaneLookup(dns, settings.Anchors),
                aia: aia),
            assess ? new EndpointAssessor(settings.Limits, settings.Assessment with { MaxConnectionsPerServer = settings.MaxConnectionsPerServer }, gated) : null,
            progress);

        var results = new List<DomainReport>();
        foreach (var domain in settings.Domains)
        {
            foreach (var mode in settings.Modes)
            {
                DomainReport report;
                try
                {
                    report = settings.Connect is { } server
                        ? await scanner.ScanEndpointsAsync(domain, mode,
                            [new XmppEndpoint(domain, mode, server.Transport, server.Address.ToString(), server.Address, server.Port, 0, 0,
                                EndpointSource.Explicit)], cancellationToken).ConfigureAwait(false)
                        : await scanner.ScanAsync(domain, mode, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Our bug, not the server's: this domain fails with the reason, the others are still scanned and written.
                    report = new DomainReport(domain, mode, ProbeStatus.Failed,
                        ScanNode.Probes.WireFailures.Internal(e, "the scan of " + domain), null, []);
                }

                results.Add(report);
                await onDomain(report, cancellationToken).ConfigureAwait(false);
            }

            progress?.TargetFinished(domain);
        }

        return new ScanReport(
            SharedAssembly.ResultSchemaVersion,
            "xmppscan",
            ToolVersion,
            started,
            DateTimeOffset.UtcNow,
            new ScanSettingsFacts(
                settings.Dns.Servers.Select(s => s.ToString()).ToArray(),
                settings.TrustAnchorFiles,
                settings.SystemTrust),
            results);
    }
}
