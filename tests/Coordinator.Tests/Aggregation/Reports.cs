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
        var cert = new CertificateFacts(leaf, spki ?? "spki-" + leaf, "CN=" + leaf, issuer, leaf, "01", DateTimeOffset.UnixEpoch,
            DateTimeOffset.MaxValue, key, bits, null, null, "sha256WithRSAEncryption", "sha256", false, null, [], [], [], [], [], [], false);
        var issues = (trust ?? []).Select(p => new TrustIssue(p, p.ToString(), 0)).ToList();
        var identity = new IdentityMatch(nameMatches, nameMatches ? IdentityMatchKind.DnsId : IdentityMatchKind.None, null, leaf, [], false);
        var assessment = new TlsAssessmentReport(ProbeStatus.Completed, null, "full", null,
            [.. protocols.Select(p => new ProtocolAssessment(p, true, NegotiationOrder.Server, suites, [], null, 1, 1, null, []))],
            new KeyExchangeFacts([], null, [], NegotiationOrder.Server, [], NegotiationOrder.Server), null, new ConnectionCounts(1, 1, []));
        var features = new XmppFeatures(startTls, sasl ?? [], [], false, false, []);
        return new EndpointReport(target, address, port, transport, 0, 0, EndpointSource.Srv, ProbeStatus.Completed, null,
            new XmppStreamFacts("id", leaf, "1.0", transport == TlsTransport.StartTls ? features : null, null, null, true, null),
            new TlsSessionReport(protocols[^1], new CipherSuiteName(suites[0].Code, suites[0].Name), null),
            new CertificateReport([cert], new TrustVerdict(issues.Count == 0, issues, [], null), identity, []), 1, assessment);
    }

    public static GradeResult Grade(string letter, string ignoringTrust) =>
        new("test", 1, letter, ignoringTrust, 90, [], [], [], [], []);
}
