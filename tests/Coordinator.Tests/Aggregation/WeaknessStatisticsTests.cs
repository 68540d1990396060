using System.Text.Json;
using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

/// <summary>Issue 16 in the census statistics: a weakness is counted "safe" only where the facts were established; a
/// server whose assessment was inconclusive or failed, or whose probe decided nothing, is "not tested".</summary>
public sealed class WeaknessStatisticsTests
{
    private static readonly HeartbleedFacts NoOverRead = new("TLSv1.2", true, 1, 16, 16, RecordReaction.Alert, "unexpected_message", null, 0);

    [Fact]
    public void EstablishedAndInconclusiveAssessments_countOneSafeOneNotTested_inJsonAndText()
    {
        var established = Endpoint("ok") with { Vulnerabilities = Probes(new ProbeResult(ProbeStatus.Completed, null, null, Facts(NoOverRead), 1)) };
        var inconclusive = Endpoint("odd", protocols: ["TLSv1.2"]);
        var tls13 = new ProtocolAssessment(Protocol: "TLSv1.3", Supported: false, SuiteOrder: NegotiationOrder.Indeterminate, Suites: [],
            Ssl2CipherKinds: [], Refusal: null, CandidatesTested: 1, Connections: 1, ServerHelloHex: null, Errors: [],
            Inconclusive: "reset right after the ServerHello");
        inconclusive = inconclusive with
        {
            Assessment = inconclusive.Assessment! with { Protocols = [.. inconclusive.Assessment.Protocols, tls13] },
            Vulnerabilities = Probes(new ProbeResult(ProbeStatus.Failed, new ProbeFailure(FailureKind.Timeout, "no answer"), null, null, 1)),
        };
        var results = new[]
        {
            new RegionResult("eu", Domain("ok.test", established), Grade("A", "A")),
            new RegionResult("eu", Domain("odd.test", inconclusive), Grade("A", "A")),
        };

        var stats = StatisticsCalculator.Compute("test", "eu", results, results);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(stats, StatisticsJsonContext.Default.CensusStatistics)).RootElement;
        var weaknesses = json.GetProperty("weaknesses").EnumerateArray().ToDictionary(w => w.GetProperty("key").GetString()!);
        foreach (var key in (string[])["rc4", "export", "null_cipher", "no_forward_secrecy", HeartbleedCheck.Key])
        {
            var w = weaknesses[key];
            Assert.Equal((0, 1, 1), (w.GetProperty("vulnerable").GetInt32(), w.GetProperty("safe").GetInt32(), w.GetProperty("not_tested").GetInt32()));
        }

        Assert.Equal("probe", weaknesses[HeartbleedCheck.Key].GetProperty("kind").GetString());
        Assert.Equal("derived", weaknesses["rc4"].GetProperty("kind").GetString());
        // A probe neither endpoint ran is not tested on both, never safe.
        var ccs = weaknesses["ccs_injection"];
        Assert.Equal((0, 2), (ccs.GetProperty("safe").GetInt32(), ccs.GetProperty("not_tested").GetInt32()));

        var text = StatisticsText.Render("c", stats).ReplaceLineEndings("\n");
        Assert.Contains("weaknesses (results of the 2 responding):", text, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^  rc4 +0 +1 +1$", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^  heartbleed +0 +1 +1$", RegexOptions.Multiline), text);
    }

    [Fact]
    public void FailedAssessment_isNotTested_andOneVulnerableEndpointMakesTheResultVulnerable()
    {
        AcceptedSuite[] rc4 = [new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, "RSA")];
        var failed = Endpoint("f") with { Assessment = TlsAssessmentReport.Failed(new ProbeFailure(FailureKind.Timeout, "no answer")) };
        var session = Endpoint("s") with { Assessment = null };
        var results = new[]
        {
            new RegionResult("eu", Domain("failed.test", failed), Grade("A", "A")),
            new RegionResult("eu", Domain("session.test", session), Grade("A", "A")),
            new RegionResult("eu", Domain("mixed.test", Endpoint("r", suites: rc4), Endpoint("g", address: "127.0.0.2")), Grade("C", "C")),
        };

        var rc4Count = StatisticsCalculator.Compute("test", "eu", results, results).Weaknesses!.Single(w => w.Key == "rc4");

        Assert.Equal((1, 0, 2), (rc4Count.Vulnerable, rc4Count.Safe, rc4Count.NotTested));
    }

    private static VulnerabilityReport Probes(ProbeResult heartbleed) =>
        VulnerabilityReport.Of([new(HeartbleedCheck.Key, heartbleed)], [], 1);

    private static JsonElement Facts(HeartbleedFacts facts) => JsonSerializer.SerializeToElement(facts, ProbeFactsJson.Options);
}
