using System.Net;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// Everything a node needs to scan for one census, built once from the census's stored settings: DNS, trust
/// anchors, limits, the politeness gate, the steps and the step runner.
/// </summary>
public sealed class CensusScanContext
{
    /// <summary>A context from parts (tests, other compositions).</summary>
    public CensusScanContext(IReadOnlyList<XmppMode> modes, ScanStepRegistry steps, StepRunner runner, Blocklist blocklist)
    {
        Modes = modes;
        Steps = steps;
        Runner = runner;
        Blocklist = blocklist;
    }

    public IReadOnlyList<XmppMode> Modes { get; }

    public ScanStepRegistry Steps { get; }

    public StepRunner Runner { get; }

    public Blocklist Blocklist { get; }

    /// <summary>The node's per-address limiter of this census (what the region's address gates grant from); null in a
    /// context built from parts.</summary>
    public PerIpLimiter? Limiter { get; private init; }

    /// <summary>The census's resolvers (or the node's resolv.conf) with the scan's DNS deadlines.</summary>
    public static DnsResolverOptions DnsOptions(CensusSettings settings, ScanLimits? limits = null)
    {
        limits ??= ScanLimits.Default;
        var servers = new List<IPEndPoint>();
        foreach (var text in settings.DnsServers)
        {
            if (DnsResolverOptions.TryParseServer(text, out var server, out var error) && server is not null)
            {
                servers.Add(server);
            }
            else
            {
                throw new InvalidDataException($"census DNS server '{text}': {error}");
            }
        }

        return (servers.Count > 0 ? new DnsResolverOptions { Servers = servers } : DnsResolverOptions.FromResolvConf())
            with { Timeout = limits.DnsTimeout, Retries = limits.DnsRetries };
    }

    /// <summary>The context of a census on a node.</summary>
    /// <param name="settings">The census's stored settings.</param>
    /// <param name="node">The node's options (blocklist, progress, connection log).</param>
    /// <param name="certificates">Where chains are stored (the full depth reads them back).</param>
    /// <param name="permits">Wraps the node's limiter with the region's routing of addresses an entity does not own
    /// (the cluster's address gates); null: every permit from the node's limiter.</param>
    /// <param name="time">The limiter's clock (the node's).</param>
    /// <param name="planned">What the planner resolved for this census, in this process or kept in the store (the discover
    /// step uses it within its TTL instead of asking again).</param>
    public static CensusScanContext Create(CensusSettings settings, NodeOptions node, ICertificateSink? certificates,
        Func<PerIpLimiter, IAddressPermits>? permits = null, TimeProvider? time = null, IPlannedDiscovery? planned = null)
    {
        var blocklist = Blocklist.Parse(settings.Blocklist.Concat(node.Blocklist), out _);
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds > 0 ? settings.TimeoutSeconds : 10);
        var limits = ScanLimits.Default with { ConnectTimeout = timeout, ReadTimeout = timeout, ConnectionTimeout = timeout * 3 };
        var dns = DnsOptions(settings, limits);

        var stores = new List<TrustStore>();
        if (settings.SystemTrust && TrustStore.TryLoadPemFile(TrustStore.SystemBundlePath, out var system, out _) && system is not null)
        {
            stores.Add(system);
        }

        foreach (var pem in settings.TrustAnchorsPem)
        {
            stores.Add(TrustStore.FromDerCertificates(PemReader.CertificateBlocks(pem, out _)));
        }

        var politeness = settings.Politeness;
        var limiter = new PerIpLimiter(politeness.MaxConnectionsPerIp, TimeSpan.FromSeconds(politeness.MinSpacingSeconds), time, node.Progress);
        var log = node.ConnectionLogPath is { } path ? new ConnectionLog(path) : null;
        var gate = new PolitenessGate(blocklist, permits?.Invoke(limiter) ?? limiter, log, node.Progress);
        var connector = XmppConnectorOptions.Gated(gate, settings.SessionTls);
        var dnsClient = new DnsResolver(dns);
        var anchors = TrustStore.Combine([.. stores]);
        var assessor = new CertificateAssessor(anchors);
        var steps = ScanStepCatalog.Create(new EndpointDiscovery(dnsClient), new XmppTlsSessionProbe(limits, connector),
            assessor, certificates, FullDepth(settings, limits, connector, assessor, anchors, dnsClient, certificates), planned);
        var modes = settings.Modes.Select(m => m == "s2s" ? XmppMode.S2S : XmppMode.C2S).Distinct().ToArray();
        return new CensusScanContext(modes.Length > 0 ? modes : [XmppMode.C2S], steps, new StepRunner(politeness, gate, node.Progress), blocklist)
        {
            Limiter = limiter,
        };
    }

    /// <summary>
    /// The full depth's wire-level work, over the same gated connector as the session: every connection waits for
    /// the per-IP limiter and its spacing (so the assessment's own spacing is off), and the assessment may use as
    /// many lanes as the census allows connections per address (at most the assessor's 4). The certificate step reads
    /// the session's chain back from the store; without a store to read from (a context built for tests) there is none.
    /// </summary>
    private static FullDepthParts? FullDepth(CensusSettings settings, ScanLimits limits, XmppConnectorOptions gated,
        CertificateAssessor assessor, TrustStore anchors, IDnsResolver dns, ICertificateSink? certificates)
    {
        if (settings.Depth == ScanDepth.Session)
        {
            return null;
        }

        var endpoints = new EndpointAssessor(limits, AssessmentOptions.Default with
        {
            MinimumSpacing = TimeSpan.Zero,
            MaxConnectionsPerServer = Math.Clamp(settings.Politeness.MaxConnectionsPerIp, 1, 4),
        }, gated);
        var source = certificates as ICertificateSource
            ?? throw new ArgumentException("the full depth needs a certificate store it can read back", nameof(certificates));
        return new FullDepthParts(endpoints,
            new CertificateStep(assessor, anchors, limits, new XmppTlsConnector(limits, gated), source, new DaneLookup(dns, anchors),
                settings.FetchAia ? new AiaIssuerFetcher() : null),
            Probes: settings.Depth == ScanDepth.Full)
        {
            // --no-sharing: every endpoint assessed and probed on its own, on every node (the setting is the census's).
            Shares = settings.Sharing ? new AssessmentShares() : null,
        };
    }
}
