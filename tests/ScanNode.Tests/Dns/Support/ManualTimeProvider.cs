namespace XmppScanCluster.ScanNode.Tests.Dns.Support;

/// <summary>A clock the test moves by hand (only <see cref="GetUtcNow"/> is used by the cache).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    internal void Advance(TimeSpan by) => _now += by;
}
