using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Reports;

/// <summary>A small fact model for report tests: one domain, one endpoint with an assessment and a chain whose
/// subject is chosen by the test (to check escaping).</summary>
internal static class ReportFixtures
{
    public static ScanReport Scan(string subject, params string[] tls12Suites)
    {
        var leaf = new CertificateFacts(Sha256: "aa", SpkiSha256: "bb", Subject: subject, Issuer: "CN=Test CA", CommonName: "leaf", SerialNumber: "01", NotBefore: DateTimeOffset.UnixEpoch, NotAfter: DateTimeOffset.MaxValue,
            KeyAlgorithm: KeyAlgorithm.Rsa, KeyBits: 2048, Curve: null, RsaExponent: "65537", SignatureAlgorithm: "sha256WithRSAEncryption", SignatureHash: "sha256", IsCa: false, PathLength: null, KeyUsage: [], ExtendedKeyUsage: [],
            SubjectAltNames: [new SubjectAltName(SubjectAltNameType.DnsName, "example.test")], OcspUrls: [], CaIssuerUrls: [], CrlUrls: [], IsSelfSigned: false);
        var certificate = new CertificateReport([leaf], new TrustVerdict(true, [], [], "CN=Root"),
            new IdentityMatch(true, IdentityMatchKind.DnsId, "example.test", "example.test", leaf.SubjectAltNames, false), []);
        var suites = tls12Suites.Select(n => Shared.Tls.CipherSuiteRegistry.TryGetByName(n, out var s) ? s : throw new ArgumentException(n))
            .Select(s => new AcceptedSuite(s.Code, s.IanaName, s.KeyBits, s.ForwardSecrecy, s.IsAead, "ECDH x25519")).ToList();
        ProtocolAssessment P(string name, IReadOnlyList<AcceptedSuite> accepted) =>
            new(name, accepted.Count > 0, NegotiationOrder.Server, accepted, [], accepted.Count > 0 ? null : "alert protocol_version", 1, 1, null, []);
        var assessment = new TlsAssessmentReport(Status: ProbeStatus.Completed, Failure: null, HelloProfile: "full", FullHelloFailure: null,
            Protocols: [P("SSLv3", []), P("TLSv1.0", []), P("TLSv1.1", []), P("TLSv1.2", suites),
             P("TLSv1.3", [new AcceptedSuite(0x1301, "TLS_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519")])],
            KeyExchange: new KeyExchangeFacts([], "TLSv1.2", [new NamedCode(0x001D, "x25519")], NegotiationOrder.Server, [new NamedCode(0x001D, "x25519")], NegotiationOrder.Server),
            SignatureAlgorithms: null, Connections: new ConnectionCounts(10, 8, []));
        var endpoint = new EndpointReport(Target: "xmpp.example.test", Address: "127.0.0.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv,
            Status: ProbeStatus.Completed, Failure: null, Xmpp: null, Tls: new TlsSessionReport("TLSv1.3", new CipherSuiteName(0x1301, "TLS_AES_128_GCM_SHA256"), null),
            Certificate: certificate, ElapsedMs: 5, Assessment: assessment);
        var domain = new DomainReport("example.test", XmppMode.C2S, ProbeStatus.Completed, null, null, [endpoint]);
        var report = new ScanReport(1, "xmppscan", "test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, new ScanSettingsFacts([], [], false), [domain]);
        return report with { Gradings = Coordinator.Grading.Grader.GradeScan(report, Coordinator.Grading.Policies.All) };
    }
}
