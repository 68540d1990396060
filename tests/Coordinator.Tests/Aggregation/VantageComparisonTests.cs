using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

public sealed class VantageComparisonTests
{
    private static readonly GradeResult A = Grade("A", "A");

    [Fact]
    public void SameFactsInBothRegions_noDisagreement()
    {
        Assert.Empty(VantageComparison.Compare([new("eu", Domain("a.test", Endpoint("a")), A), new("us", Domain("a.test", Endpoint("a")), A)]));
    }

    [Fact]
    public void StartTlsMissingInOneRegion_isStripping()
    {
        var d = Assert.Single(VantageComparison.Compare([
            new("eu", Domain("a.test", Endpoint("a", startTls: StartTlsSupport.Required)), A),
            new("us", Domain("a.test", Endpoint("a", startTls: StartTlsSupport.NotOffered)), A)]));
        Assert.Equal(("starttls", "xmpp.example:5222 starttls"), (d.Kind, d.Endpoint));
        Assert.Equal("STARTTLS offered in eu, missing in us", d.Summary);
    }

    [Fact]
    public void OtherCertificateKeyAndProtocols_areEachFlagged()
    {
        var kinds = VantageComparison.Compare([
            new("eu", Domain("a.test", Endpoint("a")), A),
            new("us", Domain("a.test", Endpoint("mitm", protocols: ["TLSv1.0"])), A)]).Select(d => d.Kind);
        Assert.Equal(["certificate", "key", "protocols"], kinds);
    }

    [Fact]
    public void SameNameAtAnotherAddress_isComparedByName()
    {
        var d = Assert.Single(VantageComparison.Compare([
            new("eu", Domain("a.test", Endpoint("a", address: "127.0.0.1"), Endpoint("a", address: "::1")), A),
            new("us", Domain("a.test", Endpoint("a", address: "127.1.2.10", startTls: StartTlsSupport.NotOffered)), A)]));
        Assert.Equal(new Dictionary<string, string> { ["eu"] = "offered", ["us"] = "missing" }, d.Values);
    }

    [Fact]
    public void EndpointSeenFromOneRegionOnly_orWithoutFacts_isNotCompared()
    {
        var unreachable = Endpoint("a") with { Xmpp = null, Certificate = null, Tls = null, Assessment = null, Status = ProbeStatus.Failed };
        Assert.Empty(VantageComparison.Compare([
            new("eu", Domain("a.test", Endpoint("a"), Endpoint("b", target: "other.example")), A),
            new("us", Domain("a.test", unreachable), A)]));
    }
}
