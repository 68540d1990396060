namespace XmppScanCluster.ScanNode;

/// <summary>The two DNS defaults the old engine read from ScanNode's ScanLimits (same values).</summary>
internal sealed record ScanLimits
{
    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int DnsRetries { get; init; } = 2;

    public static ScanLimits Default { get; } = new();
}
