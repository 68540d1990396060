using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Tests.Results;

/// <summary>How endpoint reports add up to a domain's status: a dead advertised endpoint is a finding, not a failure.</summary>
public class DomainOutcomeTests
{
    private static EndpointReport Endpoint(int port, FailureKind? failure, EndpointSource source = EndpointSource.Srv) =>
        new("xmpp.example.test", "127.0.0.1", port, TlsTransport.StartTls, 0, 5, source,
            failure is null ? ProbeStatus.Completed : ProbeStatus.Failed, failure is { } k ? new ProbeFailure(k, "connection refused") : null,
            null, null, null, 1);

    [Fact]
    public void EveryEndpointScanned_isCompleted_withoutFailure()
    {
        var report = DomainOutcome.Combine("example.test", XmppMode.C2S, null, [Endpoint(5222, null), Endpoint(5223, null)]);
        Assert.Equal((ProbeStatus.Completed, null), (report.Status, report.Failure));
    }

    [Theory]
    [InlineData(FailureKind.Refused, "refused")]
    [InlineData(FailureKind.Unreachable, "unreachable")]
    public void AdvertisedEndpointDead_othersScanned_isCompletedWithUnreachableEndpoints(FailureKind kind, string word)
    {
        var report = DomainOutcome.Combine("example.test", XmppMode.C2S, null, [Endpoint(5222, null), Endpoint(5299, kind)]);
        Assert.Equal(ProbeStatus.Completed, report.Status);
        Assert.Equal($"completed with unreachable endpoints: xmpp.example.test 127.0.0.1:5299 starttls advertised by SRV, {word}", report.Failure!.Message);
        Assert.True(DomainOutcome.HasUnreachableEndpoints(report));
    }

    [Fact]
    public void EveryEndpointDead_failsTheDomain()
    {
        var report = DomainOutcome.Combine("example.test", XmppMode.C2S, null, [Endpoint(5222, FailureKind.Refused), Endpoint(5223, FailureKind.Refused)]);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal("2 of 2 endpoints could not be scanned", report.Failure!.Message);
        Assert.False(DomainOutcome.HasUnreachableEndpoints(report));
    }

    [Theory]
    [InlineData(FailureKind.Timeout)]
    [InlineData(FailureKind.StreamError)]
    [InlineData(FailureKind.TlsHandshakeFailed)]
    public void AnEndpointThatAnsweredAndFailed_stillFailsTheDomain(FailureKind kind)
    {
        var report = DomainOutcome.Combine("example.test", XmppMode.C2S, null, [Endpoint(5222, null), Endpoint(5299, FailureKind.Refused), Endpoint(5223, kind)]);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal("2 of 3 endpoints could not be scanned", report.Failure!.Message);
    }
}
