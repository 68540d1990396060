namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>Limits small enough that a failing scenario fails in well under a second or two.</summary>
internal static class TestLimits
{
    public static ScanLimits Fast { get; } = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReadTimeout = TimeSpan.FromSeconds(3),
        ConnectionTimeout = TimeSpan.FromSeconds(10),
    };
}
