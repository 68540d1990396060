namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// Where the tests' own PostgreSQL servers listen (base + a hash of the checkout, &lt; 400 apart): below Linux's ephemeral
/// range (net.ipv4.ip_local_port_range, 32768–60999 by default). They were at 55500–57600, inside it, and a stress run
/// failed every PostgreSQL test of a collection with "could not bind 127.0.0.1:56116: Address already in use" — the
/// kernel had given that port to one of the suite's own outgoing connections. Clear of the other fixed ports the
/// suite binds (dnsmasq 15353, cluster nodes 25520 and 26000–31000, the testbed's 5222–5270).
/// </summary>
internal static class PostgresPorts
{
    /// <summary>The shared server of the store tests: two ports per checkout (11000–11799).</summary>
    public const int Tests = 11000;

    /// <summary>CensusRunTests' three-node cluster (12000–12399).</summary>
    public const int ClusterKill = 12000;

    /// <summary>RegionLab's two regions (12400–12799).</summary>
    public const int RegionLab = 12400;

    /// <summary>bench/census-runtime's smoke test (12800–13199).</summary>
    public const int RuntimeBench = 12800;
}
