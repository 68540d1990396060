using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation;

/// <summary>From offer and answer to facts, without I/O.</summary>
public class SimulationVerdictTests
{
    private static readonly RecordedHello OpenSsl = RecordedHelloParser.Parse(ClientProfileCatalog.Find("openssl-3.0")!.HelloRecords()).Value!;
    private static readonly RecordedHello Android23 = RecordedHelloParser.Parse(ClientProfileCatalog.Find("android-2.3")!.HelloRecords()).Value!;

    private static ServerHello Hello(ushort version, ushort suite, ushort? selected = null, ushort? group = null, bool hrr = false) => new()
    {
        LegacyVersion = version,
        Random = [.. new byte[32]],
        SessionId = [],
        CipherSuite = suite,
        CompressionMethod = 0,
        Extensions = [],
        SelectedVersion = selected,
        KeyShareGroup = group,
        IsHelloRetryRequest = hrr,
    };

    private static HandshakeResult Answer(ServerHello hello, ServerKeyExchange? ske = null) => new()
    {
        Outcome = hello.IsHelloRetryRequest ? HandshakeOutcome.HelloRetryRequest : HandshakeOutcome.ServerHello,
        ServerHello = hello,
        ServerKeyExchange = ske,
    };

    [Fact]
    public void Tls13ServerHello_givesProtocolSuiteAndGroup()
    {
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0x1302, 0x0304, NamedGroups.X25519)));
        Assert.Equal(SimulationOutcome.Negotiated, f.Outcome);
        Assert.Equal(TlsVersion.Tls13, f.Protocol);
        Assert.Equal("TLS_AES_256_GCM_SHA384", f.CipherSuiteName);
        Assert.Equal(KeyExchange.Ecdhe, f.KeyExchange);
        Assert.Equal("x25519", f.GroupName);
        Assert.False(f.HelloRetry);
    }

    [Fact]
    public void HelloRetryRequest_isNegotiatedWithTheRequestedGroup()
    {
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0x1301, 0x0304, NamedGroups.Secp384r1, hrr: true)));
        Assert.Equal(SimulationOutcome.Negotiated, f.Outcome);
        Assert.True(f.HelloRetry);
        Assert.Equal(NamedGroups.Secp384r1, f.Group);
    }

    [Fact]
    public void Tls12Dhe_reportsThePrimeSize()
    {
        var p = new byte[256];
        p[0] = 0xFF;
        var ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Dhe, DhP = [.. p], DhG = [2], DhYs = [1] };
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0x009F), ske));
        Assert.Equal(SimulationOutcome.Negotiated, f.Outcome);
        Assert.Equal(KeyExchange.Dhe, f.KeyExchange);
        Assert.Equal(2048, f.DhBits);
    }

    [Fact]
    public void DhPrimeBelowTheClientsMinimum_isAFailure()
    {
        var p = new byte[128];
        p[0] = 0xFF;
        var ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Dhe, DhP = [.. p], DhG = [2], DhYs = [1] };
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0x009F), ske), new ClientLimits { MinDhBits = 2048 });
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome);
        Assert.Equal(1024, f.DhBits);
    }

    [Fact]
    public void Tls10SignedKeyExchange_isAFailure_forAClientThatRefusesMd5Sha1()
    {
        var ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Ecdhe, CurveType = 3, NamedCurve = NamedGroups.X25519, EcPoint = [1], Signature = [1, 2] };
        var strict = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0301, 0xC014), ske), new ClientLimits { RefusesMd5Sha1Signatures = true });
        var lenient = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0301, 0xC014), ske));
        Assert.Equal(SimulationOutcome.HandshakeFailed, strict.Outcome);
        Assert.Equal(SimulationOutcome.Negotiated, lenient.Outcome);
    }

    [Fact]
    public void SignatureSchemeTheClientNeverOffered_isAFailure()
    {
        var ske = new ServerKeyExchange
        {
            Kind = ServerKeyExchangeKind.Ecdhe, CurveType = 3, NamedCurve = NamedGroups.X25519, EcPoint = [1], SignatureScheme = 0x0201, Signature = [1],
        };
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0xC02F), ske));
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome); // rsa_pkcs1_sha1 is not in OpenSSL 3.0's list
    }

    [Fact]
    public void SuiteTheClientNeverOffered_isAFailure()
    {
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0x0005))); // RC4-SHA
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome);
        Assert.Contains("did not offer", f.Reason);
    }

    [Fact]
    public void VersionAboveTheClientsMaximum_isAFailure()
    {
        var f = SimulationVerdict.Describe("android-2.3", Android23, Answer(Hello(0x0303, 0x002F)));
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome);
    }

    [Fact]
    public void CurveTheClientNeverOffered_isAFailure()
    {
        var ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Ecdhe, CurveType = 3, NamedCurve = 22, EcPoint = [4] };
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, Answer(Hello(0x0303, 0xC02F), ske));
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome);
        Assert.Equal("secp256k1", f.GroupName);
    }

    [Fact]
    public void Alert_isAFailureWithTheAlertName()
    {
        var r = new HandshakeResult { Outcome = HandshakeOutcome.Alert, Alert = new TlsAlert(TlsAlertLevel.Fatal, TlsAlertDescription.ProtocolVersion) };
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, r);
        Assert.Equal(SimulationOutcome.HandshakeFailed, f.Outcome);
        Assert.Equal("protocol_version", f.Alert);
    }

    [Theory]
    [InlineData(FailureKind.ConnectionClosed, SimulationOutcome.HandshakeFailed)]
    [InlineData(FailureKind.Refused, SimulationOutcome.NoTls)]
    [InlineData(FailureKind.StartTlsRejected, SimulationOutcome.NoTls)]
    [InlineData(FailureKind.Timeout, SimulationOutcome.Inconclusive)]
    [InlineData(FailureKind.ProtocolError, SimulationOutcome.Inconclusive)]
    public void Failures_areClassified(FailureKind kind, SimulationOutcome expected)
    {
        var f = SimulationVerdict.Describe("openssl-3.0", OpenSsl, HandshakeResult.Failed(new ProbeFailure(kind, "x")));
        Assert.Equal(expected, f.Outcome);
    }
}
