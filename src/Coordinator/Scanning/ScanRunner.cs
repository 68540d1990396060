using System.Reflection;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Scanning;

/// <summary>
/// Runs an interactive scan: every domain in every requested mode through the census's steps and state machine
/// (<see cref="LocalTargetScan"/>: in memory, no actor system, no store), reporting each mode's result as it is
/// decided. With <paramref name="assess"/> every endpoint gets the full depth (TLS assessment, certificate inspection,
/// and the probes and client simulation <c>--skip</c> leaves in); without it (<c>--quick</c>) the session depth. Every
/// connection passes the census's politeness gate with the scan's limits (<c>--max-connections-per-server</c>, no
/// spacing, no retries); every step and connection is told to <paramref name="progress"/>.
/// </summary>
public sealed class ScanRunner(ScanSettings settings, bool assess = true, IScanProgress? progress = null)
{
    public static string ToolVersion { get; } =
        typeof(ScanRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    /// <summary>The endpoint steps a scan with these settings runs, in order (for the progress display).</summary>
    public static IReadOnlyList<string> EndpointSteps(ScanSettings settings, bool assess) =>
        ScanStepCatalog.EndpointStepNames(assess ? ScanDepth.Full : ScanDepth.Session,
            settings.Assessment.Vulnerabilities, settings.Assessment.ClientSimulation);

    /// <summary>What the scan's politeness is: at most <c>--max-connections-per-server</c> connections to an address at
    /// once, no spacing, and a throttled step recorded inconclusive at once (an operator scanning a server waits for no
    /// back-off; a census does).</summary>
    public static PolitenessSettings Politeness(ScanSettings settings) => new(Math.Clamp(settings.MaxConnectionsPerServer, 1, 4), 0, 0, 1);

    public async Task<ScanReport> RunAsync(Func<DomainReport, CancellationToken, Task> onDomain, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        using var aia = settings.FetchAia ? new AiaIssuerFetcher() : null;
        var run = Compose(aia);

        var results = new List<DomainReport>();
        foreach (var domain in settings.Domains)
        {
            try
            {
                await run.RunAsync(domain, settings.Modes, async (report, ct) =>
                {
                    // --connect asked no DNS: the report has no DNS section, as before.
                    report = settings.Connect is null ? report : report with { Dns = null };
                    results.Add(report);
                    await onDomain(report, ct).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Our bug, not the server's: the modes of this domain without a result fail with the reason; the other
                // domains are still scanned and written.
                foreach (var mode in settings.Modes.Where(m => !results.Any(r => r.Domain == domain && r.Mode == m)))
                {
                    var report = new DomainReport(domain, mode, ProbeStatus.Failed,
                        ScanNode.Probes.WireFailures.Internal(e, "the scan of " + domain), null, []);
                    results.Add(report);
                    await onDomain(report, cancellationToken).ConfigureAwait(false);
                }
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

    /// <summary>The census's step composition (<see cref="ScanStepCatalog"/>) over this scan's DNS, trust anchors, limits
    /// and gate, with the certificate table in memory.</summary>
    private LocalTargetScan Compose(AiaIssuerFetcher? aia)
    {
        var politeness = Politeness(settings);
        var limiter = new PerIpLimiter(politeness.MaxConnectionsPerIp, TimeSpan.Zero, progress: progress);
        var log = settings.ConnectionLogPath is { } path ? new ConnectionLog(path) : null;
        var gate = new PolitenessGate(Blocklist.Empty, limiter, log, progress);
        var gated = XmppConnectorOptions.Gated(gate, settings.SessionTls);
        var dns = new DnsResolver(settings.Dns);
        var certificates = new CertificateAssessor(settings.Anchors);
        var store = new InMemoryCertificates();
        var full = assess
            ? new FullDepthParts(
                new EndpointAssessor(settings.Limits, settings.Assessment with
                {
                    MinimumSpacing = TimeSpan.Zero,
                    MaxConnectionsPerServer = politeness.MaxConnectionsPerIp,
                }, gated),
                new CertificateStep(certificates, settings.Anchors, settings.Limits, new XmppTlsConnector(settings.Limits, gated), store,
                    new DaneLookup(dns, settings.Anchors), aia))
            {
                Shares = settings.Sharing ? new AssessmentShares() : null,
            }
            : null;
        IScanStep discover = settings.Connect is { } server
            ? new ExplicitEndpointStep((domain, mode) => new XmppEndpoint(domain, mode, server.Transport, server.Address.ToString(),
                server.Address, server.Port, 0, 0, EndpointSource.Explicit))
            : new DiscoverStep(new EndpointDiscovery(dns));
        var steps = ScanStepCatalog.Create(discover, new XmppTlsSessionProbe(settings.Limits, gated), certificates, store, full);
        return new LocalTargetScan(steps, new StepRunner(politeness, gate, progress));
    }
}
