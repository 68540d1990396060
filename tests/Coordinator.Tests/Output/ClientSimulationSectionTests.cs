using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Output;

public class ClientSimulationSectionTests
{
    internal static ClientSimulationReport Sample() => new(
    [
        new("openssl-3.0", SimulationOutcome.Negotiated)
        {
            Protocol = TlsVersion.Tls13, CipherSuite = 0x1302, CipherSuiteName = "TLS_AES_256_GCM_SHA384",
            KeyExchange = KeyExchange.Ecdhe, Group = 0x1D, GroupName = "x25519",
        },
        new("windows-10-schannel", SimulationOutcome.Negotiated)
        {
            Protocol = TlsVersion.Tls12, CipherSuite = 0xC030, CipherSuiteName = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            KeyExchange = KeyExchange.Ecdhe, Group = 0x17, GroupName = "secp256r1",
        },
        new("openssl-0.9.8", SimulationOutcome.Negotiated)
        {
            Protocol = TlsVersion.Tls10, CipherSuite = 0x0039, CipherSuiteName = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
            KeyExchange = KeyExchange.Dhe, DhBits = 1024,
        },
        new("gnutls-3.7", SimulationOutcome.Negotiated)
        {
            Protocol = TlsVersion.Tls13, CipherSuite = 0x1301, CipherSuiteName = "TLS_AES_128_GCM_SHA256",
            KeyExchange = KeyExchange.Ecdhe, Group = 0x17, GroupName = "secp256r1", HelloRetry = true,
        },
        new("android-2.3", SimulationOutcome.HandshakeFailed) { Alert = "protocol_version", Reason = "server sent fatal protocol_version" },
        new("java-17", SimulationOutcome.HandshakeFailed) { Reason = "ConnectionClosed: server closed\u001b[31m" },
        new("node-20", SimulationOutcome.NoTls) { Reason = "Refused: connection refused" },
    ], 7);

    [Fact]
    public void Table_showsProtocolSuiteAndKeyExchange_orHowItFails()
    {
        var lines = ClientSimulationSection.Lines(Sample()).ToList();

        Assert.Equal("Clients   7 profiles, 3 fail, 7 connections", lines[0]);
        Assert.Equal("  openssl-3.0         TLSv1.3 TLS_AES_256_GCM_SHA384 ECDHE x25519", lines[1]);
        Assert.Equal("  windows-10-schannel TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", lines[2]);
        Assert.Equal("                              ECDHE secp256r1", lines[3]);
        Assert.Equal("  openssl-0.9.8       TLSv1.0 TLS_DHE_RSA_WITH_AES_256_CBC_SHA DHE 1024", lines[4]);
        Assert.Equal("  gnutls-3.7          TLSv1.3 TLS_AES_128_GCM_SHA256 ECDHE secp256r1 (HRR)", lines[5]);
        Assert.Equal("  android-2.3         fails: alert protocol_version", lines[6]);
        Assert.Equal("  node-20             no TLS: Refused: connection refused", lines[8]);
    }

    [Fact]
    public void ServerText_isEscaped_andEveryLineFits80ColumnsIndented()
    {
        var lines = ClientSimulationSection.Lines(Sample()).ToList();

        Assert.Equal("  java-17             fails: ConnectionClosed: server closed\\u001b[31m", lines[7]);
        Assert.All(lines, l => Assert.True(l.Length + 4 <= 80, $"{l.Length + 4}: {l}"));
    }
}
