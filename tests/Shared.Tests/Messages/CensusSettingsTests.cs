using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Shared.Tests.Messages;

/// <summary>The stored census settings: the depth is written by name, and settings stored before it existed read as the
/// session depth those censuses ran with (a resumed old census must not start assessing half of its targets); likewise
/// <c>--fetch-aia</c>, off for settings stored before it existed, and <c>--no-sharing</c>, whose absence means sharing (as
/// those censuses ran).</summary>
public class CensusSettingsTests
{
    private static CensusSettings Settings(ScanDepth depth) =>
        new(["c2s"], ["127.0.0.53:53"], [], true, 10, PolitenessSettings.CensusDefault, ["bad.example"], depth);

    [Fact]
    public void FullDepth_isStoredAsFull_andReadBack()
    {
        var json = Settings(ScanDepth.Full).ToJson();

        Assert.Contains("\"depth\":\"full\"", json, StringComparison.Ordinal);
        Assert.Equal(ScanDepth.Full, CensusSettings.FromJson(json).Depth);
        Assert.Equal(json, CensusSettings.FromJson(json).ToJson());
    }

    [Fact]
    public void SettingsStoredBeforeTheDepthExisted_readAsSession()
    {
        const string stored = """
            {"modes":["c2s"],"dns_servers":[],"trust_anchors_pem":[],"system_trust":true,"timeout_seconds":10,
             "politeness":{"max_connections_per_ip":1,"min_spacing_seconds":2,"backoff_seconds":30,"max_attempts":3},"blocklist":[]}
            """;

        Assert.Equal(ScanDepth.Session, CensusSettings.FromJson(stored).Depth);
        // Nor fetching issuers from third parties it was never told to contact.
        Assert.False(CensusSettings.FromJson(stored).FetchAia);
    }

    [Fact]
    public void FetchAia_isStored_andReadBack_soAResumedCensusKeepsIt()
    {
        var json = (Settings(ScanDepth.Assessment) with { FetchAia = true }).ToJson();

        Assert.Contains("\"fetch_aia\":true", json, StringComparison.Ordinal);
        Assert.True(CensusSettings.FromJson(json).FetchAia);
    }

    [Fact]
    public void NoSharing_isStored_andReadBack_andSettingsStoredBeforeItExisted_share()
    {
        var json = (Settings(ScanDepth.Full) with { Sharing = false }).ToJson();

        Assert.Contains("\"sharing\":false", json, StringComparison.Ordinal);
        Assert.False(CensusSettings.FromJson(json).Sharing);
        // A census stored before the switch existed shared its assessments: resumed, it goes on sharing.
        const string stored = """
            {"modes":["c2s"],"dns_servers":[],"trust_anchors_pem":[],"system_trust":true,"timeout_seconds":10,
             "politeness":{"max_connections_per_ip":1,"min_spacing_seconds":2,"backoff_seconds":30,"max_attempts":3},"blocklist":[],
             "depth":"full"}
            """;
        Assert.True(CensusSettings.FromJson(stored).Sharing);
    }

    [Fact]
    public void SessionTls_isStored_andReadBack_andSettingsStoredBeforeItExisted_useTheEngine()
    {
        var json = (Settings(ScanDepth.Session) with { SessionTls = SessionTls.SslStream }).ToJson();

        Assert.Contains("\"session_tls\":\"sslstream\"", json, StringComparison.Ordinal);
        Assert.Equal(SessionTls.SslStream, CensusSettings.FromJson(json).SessionTls);
        const string stored = """
            {"modes":["c2s"],"dns_servers":[],"trust_anchors_pem":[],"system_trust":true,"timeout_seconds":10,
             "politeness":{"max_connections_per_ip":1,"min_spacing_seconds":2,"backoff_seconds":30,"max_attempts":3},"blocklist":[],
             "depth":"full","sharing":true}
            """;
        Assert.Equal(SessionTls.Engine, CensusSettings.FromJson(stored).SessionTls);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => CensusSettings.FromJson(json.Replace("\"sslstream\"", "\"schannel\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void UnknownDepth_isRefused_notGuessed()
    {
        var json = Settings(ScanDepth.Session).ToJson().Replace("\"session\"", "\"deep\"", StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => CensusSettings.FromJson(json));
    }
}
