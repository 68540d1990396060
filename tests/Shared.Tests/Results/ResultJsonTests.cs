using System.Text.Json;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Shared.Tests.Results;

public class ResultJsonTests
{
    private static ScanReport Sample() => new(
        SharedAssembly.ResultSchemaVersion, "xmppscan", "0.1.0",
        new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 21, 10, 0, 5, TimeSpan.Zero),
        new ScanSettingsFacts(["127.1.0.53:5353"], ["ca.pem"], false),
        [
            new DomainReport("modern.test", XmppMode.C2S, ProbeStatus.Completed, null,
                new DnsReport([new SrvRecord("_xmpp-client._tcp.modern.test", 0, 5, 5222, "xmpp.modern.test", 60)],
                    false, false, DnssecStatus.Insecure, []),
                [
                    new EndpointReport(Target: "xmpp.modern.test", Address: "127.1.0.10", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 5, Source: EndpointSource.Srv,
                        Status: ProbeStatus.Completed, Failure: null,
                        Xmpp: new XmppStreamFacts(StreamId: "id1", From: "modern.test", Version: "1.0",
                            PreTlsFeatures: new XmppFeatures(StartTlsSupport.Required, [], [], false, false, []),
                            PostTlsFeatures: new XmppFeatures(StartTlsSupport.NotOffered, ["SCRAM-SHA-1", "PLAIN"], [], false, false, []),
                            StreamError: null, StreamRestartAfterTlsWorked: true, PeerCertificateRequired: null),
                        Tls: new TlsSessionReport("TLSv1.3", new CipherSuiteName(0x1302, "TLS_AES_256_GCM_SHA384"), null),
                        Certificate: null, ElapsedMs: 12.5),
                ]),
        ]);

    [Fact]
    public void Report_isSnakeCaseWithStringEnumsAndSchemaVersion()
    {
        using var json = JsonDocument.Parse(ResultJson.Serialize(Sample()));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        var domain = root.GetProperty("domains")[0];
        Assert.Equal("c2s", domain.GetProperty("mode").GetString());
        var endpoint = domain.GetProperty("endpoints")[0];
        Assert.Equal("start_tls", endpoint.GetProperty("transport").GetString());
        Assert.Equal("required", endpoint.GetProperty("xmpp").GetProperty("pre_tls_features").GetProperty("start_tls").GetString());
        Assert.Equal("0x1302", endpoint.GetProperty("tls").GetProperty("cipher_suite").GetProperty("hex").GetString());
        Assert.False(endpoint.TryGetProperty("failure", out _), "null facts are omitted, not written as null");
    }

    [Fact]
    public void Report_roundTripsWithoutLosingFacts()
    {
        var original = Sample();
        var copy = ResultJson.Deserialize(ResultJson.Serialize(original));
        Assert.NotNull(copy);
        var endpoint = copy.Domains[0].Endpoints[0];
        Assert.Equal("TLSv1.3", endpoint.Tls!.Protocol);
        Assert.Equal(["SCRAM-SHA-1", "PLAIN"], endpoint.Xmpp!.PostTlsFeatures!.SaslMechanisms);
        Assert.Equal(original.Domains[0].Dns!.Srv[0], copy.Domains[0].Dns!.Srv[0]);
    }
}
