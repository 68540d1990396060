using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

public class FollowUpProbesTests
{
    private static ProtocolAssessment Protocol(string name, params int[] suites) =>
        new(name, suites.Length > 0, NegotiationOrder.Server, [.. suites.Select(c => new AcceptedSuite(c, CipherSuiteRegistry.NameOf((ushort)c), 128, false, false, null))],
            [], null, 0, 0, null, []);

    private static TlsAssessmentReport Report(int[] dhBits, params ProtocolAssessment[] protocols) => new(
        ProbeStatus.Completed, null, "full", null, protocols,
        new KeyExchangeFacts([.. dhBits.Select(b => new DhGroupFacts(b, null, null, null, "AB", "02", []))], null, [], NegotiationOrder.Indeterminate, [], NegotiationOrder.Indeterminate),
        null, new ConnectionCounts(0, 0, []));

    [Fact]
    public void Context_hasTheSupportedVersions_andTheAcceptedLegacySuitesHighestVersionFirst()
    {
        var report = Report([], Protocol("SSLv2"), Protocol("TLSv1.0", 0x002F, 0x0035), Protocol("TLSv1.1"), Protocol("TLSv1.2", 0xC02F, 0x002F),
            Protocol("TLSv1.3", 0x1301));

        var context = FollowUpProbes.Context(report, "example.test");

        Assert.Equal("example.test", context.ServerName);
        Assert.Equal([TlsVersion.Tls10, TlsVersion.Tls12, TlsVersion.Tls13], context.SupportedVersions.Order());
        Assert.Equal([0xC02F, 0x002F, 0x0035], context.Suites!.Select(s => (int)s));
        Assert.Equal(TlsVersion.Tls12, context.HighestLegacyVersion);
    }

    [Fact]
    public void Context_tls13Only_hasNoLegacyVersionAndNoSuites()
    {
        var context = FollowUpProbes.Context(Report([], Protocol("TLSv1.2"), Protocol("TLSv1.3", 0x1301)), null);

        Assert.Null(context.HighestLegacyVersion);
        Assert.Null(context.Suites);
    }

    [Fact]
    public void Derive_readsSuitesPerVersionDhBitsAndSsl2()
    {
        var ssl2 = new ProtocolAssessment(Protocol: "SSLv2", Supported: true, SuiteOrder: NegotiationOrder.Indeterminate, Suites: [], Ssl2CipherKinds: [new Ssl2CipherKind(0x010080, "RC4_128_WITH_MD5", 128)],
            Refusal: null, CandidatesTested: 0, Connections: 1, ServerHelloHex: null, Errors: []);
        var report = Report([512], ssl2, Protocol("TLSv1.0", 0x002F), Protocol("TLSv1.2", 0x000A));

        var present = FollowUpProbes.Derive(report).Where(f => f.Present).Select(f => f.Weakness).ToList();

        Assert.Equal([DerivedWeakness.Sweet32, DerivedWeakness.Logjam, DerivedWeakness.Drown, DerivedWeakness.Beast,
            DerivedWeakness.NoForwardSecrecy, DerivedWeakness.NoAead], present);
    }
}
