using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

/// <summary>Hand-built reports: one endpoint per domain unless more are given, with the facts statistics count.</summary>
internal static class Reports
{
    public static DomainReport Domain(string domain, params EndpointReport[] endpoints) =>
        new(domain, XmppMode.C2S, ProbeStatus.Completed, null, null, endpoints);

    public static DomainReport NoService(string domain) =>
        new(domain, XmppMode.C2S, ProbeStatus.Failed, new ProbeFailure(FailureKind.DnsFailure, "no SRV"), null, []);

    public static EndpointReport Endpoint(string leaf, string address = "127.0.0.1", int port = 5222,
        TlsTransport transport = TlsTransport.StartTls, StartTlsSupport startTls = StartTlsSupport.Required,
        string[]? protocols = null, AcceptedSuite[]? suites = null, TrustProblem[]? trust = null, bool nameMatches = true,
        KeyAlgorithm key = KeyAlgorithm.Rsa, int bits = 2048, string? spki = null, string[]? sasl = null, string issuer = "CN=Good CA",
        string target = "xmpp.example")
    {
        protocols ??= ["TLSv1.2", "TLSv1.3"];
        suites ??= [new AcceptedSuite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519")];
        var cert = new CertificateFacts(Sha256: leaf, SpkiSha256: spki ?? "spki-" + leaf, Subject: "CN=" + leaf, Issuer: issuer, CommonName: leaf, SerialNumber: "01", NotBefore: DateTimeOffset.UnixEpoch,
            NotAfter: DateTimeOffset.MaxValue, KeyAlgorithm: key, KeyBits: bits, Curve: null, RsaExponent: null, SignatureAlgorithm: "sha256WithRSAEncryption", SignatureHash: "sha256", IsCa: false, PathLength: null, KeyUsage: [], ExtendedKeyUsage: [], SubjectAltNames: [], OcspUrls: [], CaIssuerUrls: [], CrlUrls: [], IsSelfSigned: false);
        var issues = (trust ?? []).Select(p => new TrustIssue(p, p.ToString(), 0)).ToList();
        var identity = new IdentityMatch(nameMatches, nameMatches ? IdentityMatchKind.DnsId : IdentityMatchKind.None, null, leaf, [], false);
        var assessment = new TlsAssessmentReport(Status: ProbeStatus.Completed, Failure: null, HelloProfile: "full", FullHelloFailure: null,
            Protocols: [.. protocols.Select(p => new ProtocolAssessment(Protocol: p, Supported: true, SuiteOrder: NegotiationOrder.Server, Suites: suites, Ssl2CipherKinds: [], Refusal: null, CandidatesTested: 1, Connections: 1, ServerHelloHex: null, Errors: []))],
            KeyExchange: new KeyExchangeFacts([], null, [], NegotiationOrder.Server, [], NegotiationOrder.Server), SignatureAlgorithms: null, Connections: new ConnectionCounts(1, 1, []));
        var features = new XmppFeatures(startTls, sasl ?? [], [], false, false, []);
        return new EndpointReport(Target: target, Address: address, Port: port, Transport: transport, Priority: 0, Weight: 0, Source: EndpointSource.Srv, Status: ProbeStatus.Completed, Failure: null,
            Xmpp: new XmppStreamFacts(StreamId: "id", From: leaf, Version: "1.0", PreTlsFeatures: transport == TlsTransport.StartTls ? features : null, PostTlsFeatures: null, StreamError: null, StreamRestartAfterTlsWorked: true, PeerCertificateRequired: null),
            Tls: new TlsSessionReport(protocols[^1], new CipherSuiteName(suites[0].Code, suites[0].Name), null),
            Certificate: new CertificateReport([cert], new TrustVerdict(issues.Count == 0, issues, [], null), identity, []), ElapsedMs: 1, Assessment: assessment);
    }

    public static GradeResult Grade(string letter, string ignoringTrust) =>
        new("test", 1, letter, ignoringTrust, 90, [], [], [], [], []);
}
