using System.Net;
using XmppScanCluster.ScanNode.Dns;
#if OLD_ENGINE
using Resolver = XmppScanCluster.ScanNode.Dns.DnsClient;
#else
using Resolver = XmppScanCluster.ScanNode.Dns.DnsResolver;
#endif

namespace XmppScanCluster.DnsBench;

/// <summary>
/// The resolver under test. Built twice from the same sources: against today's src/ScanNode (the DnsClient
/// 1.8.0 adapter), and with OLD_ENGINE against the own engine extracted from the commit before it was deleted
/// (old/OldDnsBench.csproj). Both use the same settings: one attempt of 2 s per query, DO set, as the scanner asks.
/// </summary>
public sealed class Engine
{
#if OLD_ENGINE
    public const string Name = "own engine";
#else
    public const string Name = "DnsClient 1.8.0";
#endif

    private Engine(Resolver dns) => Dns = dns;

    public Resolver Dns { get; }

    public static Engine Create(IPEndPoint server) => new(new Resolver(new DnsResolverOptions
    {
        Servers = [server], Timeout = TimeSpan.FromSeconds(2), Retries = 1, RequestDnssec = true,
    }));
}
