using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Output;

public class AssessmentTextRendererTests
{
    internal static TlsAssessmentReport Sample() => new(
        ProbeStatus.Completed, null, "compact", new ProbeFailure(FailureKind.ConnectionClosed, "reset"),
        [
            new("SSLv2", false, NegotiationOrder.Indeterminate, [], [], "closed", 8, 1, null, []),
            new("SSLv3", true, NegotiationOrder.Server, [new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, null)], [], "alert handshake_failure", 92, 2, "0200", []),
            new("TLSv1.2", true, NegotiationOrder.Server,
            [
                new(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 256, true, true, "ECDH x25519"),
                new(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 128, true, true, "DH 2048 ffdhe2048"),
                new(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", 128, false, false, null),
            ], [], "alert handshake_failure", 219, 7, "0200", []),
            new("TLSv1.3", true, NegotiationOrder.Client, [new(0x1301, "TLS_AES_128_GCM_SHA256", 128, true, true, "x25519")], [], null, 15, 3, null,
                [new ProbeFailure(FailureKind.ProtocolError, "bad\u001b[31m")]),
        ],
        new KeyExchangeFacts(
            [new DhGroupFacts(2048, "ffdhe2048", "RFC 7919 Appendix A", "rfc7919", "AB", "02", ["TLSv1.2"])],
            "TLSv1.2", [new NamedCode(0x1D, "x25519"), new NamedCode(0x17, "secp256r1")], NegotiationOrder.Server,
            [new NamedCode(0x1D, "x25519")], NegotiationOrder.Indeterminate),
        new SignatureAlgorithmFacts("TLSv1.2", [new NamedCode(0x0804, "rsa_pss_rsae_sha256"), new NamedCode(0x0401, "rsa_pkcs1_sha256")]),
        new ConnectionCounts(21, 16, [new ProbeConnections("suites TLSv1.2", 7), new ProbeConnections("SSLv2", 1)]));

    [Fact]
    public void SuiteTable_inServerOrder_withCodeBitsFsAead()
    {
        var lines = AssessmentTextRenderer.Lines(Sample()).ToList();

        Assert.Equal("Protocols TLSv1.3 TLSv1.2 SSLv3 (not: SSLv2)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Hello     compact ClientHello needed", StringComparison.Ordinal));
        var header = lines.FindIndex(l => l.StartsWith("TLSv1.2   3 suites, server order", StringComparison.Ordinal));
        Assert.True(header > 0);
        Assert.StartsWith("  0xC030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", lines[header + 1]);
        Assert.EndsWith(" 256 FS AEAD ECDH", lines[header + 1]);
        Assert.EndsWith(" 128 FS AEAD DH 2048", lines[header + 2]);
        Assert.StartsWith("  0x009E", lines[header + 2]);
        Assert.EndsWith(" 128", lines[header + 3]);
        Assert.Contains(lines, l => l.StartsWith("TLSv1.3   1 suite, client order", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "DH        2048 bits ffdhe2048 (RFC 7919), TLSv1.2");
        Assert.Contains(lines, l => l == "ECDHE     server order (TLSv1.2): x25519, secp256r1");
        Assert.Contains(lines, l => l.StartsWith("Cost      21 connections (floor 16)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\u001b'));
        // The endpoint block indents by 4: every line stays within 80 columns.
        Assert.All(lines, l => Assert.True(l.Length <= 76, l));
    }

    [Fact]
    public void EndpointWithAssessment_isRenderedUnderTheTlsLine()
    {
        var endpoint = new EndpointReport(Target: "xmpp.a.test", Address: "127.0.0.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv,
            Status: ProbeStatus.Completed, Failure: null, Xmpp: null, Tls: new TlsSessionReport("TLSv1.3", new CipherSuiteName(0x1301, "TLS_AES_128_GCM_SHA256"), null),
            Certificate: null, ElapsedMs: 3, Assessment: Sample());
        var lines = new ScanTextRenderer(TextWriter.Null).Lines(new DomainReport("a.test", XmppMode.C2S, ProbeStatus.Completed, null, null, [endpoint])).ToList();

        var tls = lines.FindIndex(l => l.StartsWith("    TLS       TLSv1.3", StringComparison.Ordinal));
        Assert.Equal("    Protocols TLSv1.3 TLSv1.2 SSLv3 (not: SSLv2)", lines[tls + 1]);
    }

    [Fact]
    public void Json_roundTrips_theAssessment()
    {
        var report = new ScanReport(1, "xmppscan", "t", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            new ScanSettingsFacts([], [], true),
            [new DomainReport("a.test", XmppMode.C2S, ProbeStatus.Completed, null, null,
                [new EndpointReport(Target: "x", Address: "127.0.0.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv, Status: ProbeStatus.Completed,
                    Failure: null, Xmpp: null, Tls: null, Certificate: null, ElapsedMs: 1, Assessment: Sample())])]);

        var json = ResultJson.Serialize(report);
        var back = ResultJson.Deserialize(json)!;

        Assert.Contains("\"suite_order\": \"server\"", json, StringComparison.Ordinal);
        Assert.Contains("\"hex\": \"0xC030\"", json, StringComparison.Ordinal);
        Assert.Contains("\"server_hello_hex\": \"0200\"", json, StringComparison.Ordinal);
        var a = back.Domains[0].Endpoints[0].Assessment!;
        Assert.Equal(Sample().Protocols[2].Suites, a.Protocols[2].Suites);
        Assert.Equal(21, a.Connections.Total);
        Assert.Equal("ffdhe2048", a.KeyExchange.DhGroups[0].Name);
        Assert.Equal(NegotiationOrder.Client, a.Protocols[3].SuiteOrder);
    }

    [Fact]
    public void CurveOrderInconsistent_isFlaggedInText_andJson()
    {
        // Issue 16: the same hello got another curve. Shown like the suite order's inconsistency, never as an order.
        var sample = Sample();
        var report = sample with { KeyExchange = sample.KeyExchange with { EcdheCurveOrder = NegotiationOrder.Inconsistent, Tls13GroupOrder = NegotiationOrder.Inconsistent } };

        var lines = AssessmentTextRenderer.Lines(report).ToList();
        var json = ResultJson.Serialize(new ScanReport(1, "xmppscan", "t", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            new ScanSettingsFacts([], [], true),
            [new DomainReport("a.test", XmppMode.C2S, ProbeStatus.Completed, null, null,
                [new EndpointReport(Target: "x", Address: "127.0.0.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv, Status: ProbeStatus.Completed,
                    Failure: null, Xmpp: null, Tls: null, Certificate: null, ElapsedMs: 1, Assessment: report)])]));

        Assert.Contains(lines, l => l.StartsWith("ECDHE     INCONSISTENT: same hello, other group (TLSv1.2): x25519", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Groups    TLSv1.3, INCONSISTENT: same hello, other group: x25519", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("ECDHE     server order", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 76, l));
        Assert.Contains("\"ecdhe_curve_order\": \"inconsistent\"", json, StringComparison.Ordinal);
        var endpoint = new EndpointReport(Target: "x", Address: "127.0.0.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv,
            Status: ProbeStatus.Completed, Failure: null, Xmpp: null, Tls: null, Certificate: null, ElapsedMs: 1, Assessment: report);
        var html = new System.Text.StringBuilder();
        XmppScanCluster.Coordinator.Reports.HtmlSections.Endpoint(html, new DomainReport("a.test", XmppMode.C2S, ProbeStatus.Completed, null, null, [endpoint]), endpoint, null);
        Assert.Contains("x25519, secp256r1 (inconsistent order)", html.ToString(), StringComparison.Ordinal);
        Assert.Contains("<td>x25519 (inconsistent order)", html.ToString(), StringComparison.Ordinal);
    }
}
