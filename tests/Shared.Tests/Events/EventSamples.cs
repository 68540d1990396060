using System.Text.Json;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Shared.Tests.Events;

/// <summary>One deterministic envelope per event type at its current version: the source of new golden files.</summary>
internal static class EventSamples
{
    private static readonly EventOrigin Target = new(
        Guid.Parse("6f1c2a9e-0d1b-4c55-9b61-1f2e3d4c5b6a"), Guid.Parse("0b7e6c1d-2a3f-4e5d-8c9b-a1b2c3d4e5f6"), "node-eu-1", "eu");

    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static readonly EndpointRef Endpoint = new("192.0.2.10", 5222, XmppMode.C2S, TlsTransport.StartTls);

    public static IReadOnlyList<EventEnvelope> All() =>
    [
        Make(new EndpointDiscovered(Domain: "example.org", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.org",
            Address: "192.0.2.10", Port: 5222, Priority: 5, Weight: 10, Source: EndpointSource.Srv), Target, 2),
        Make(new StartTlsRequired(Endpoint), Target, 3),
        Make(new CertificateObserved(Endpoint, 0, new string('a', 64)), Target, 5),
        Make(new DomainScanCompleted(SampleReport() with { Endpoints = [] }, EndpointsInStream: true), Target, 7),
        Make(new TargetScanCompleted("example.org", ProbeStatus.Completed, null, 1), Target, 8),
        Make(new TargetScanStarted(Target.TargetId, "example.org", [XmppMode.C2S, XmppMode.S2S], ["session"]), Target, 9),
        Make(new DiscoveryCompleted("example.org", XmppMode.C2S, SampleReport().Dns!, 1), Target, 10),
        Make(new EndpointSessionObserved(XmppMode.C2S, 0, SampleReport().Endpoints[0]), Target, 11),
        Make(new ScanStepCompleted("session", XmppMode.C2S, 0, StepStatus.Inconclusive,
            new ProbeFailure(FailureKind.StreamError, "policy-violation"), 3), Target, 12),
        Make(new EndpointTlsAssessed(XmppMode.C2S, 0, SampleAssessment()), Target, 13),
        Make(new EndpointVulnerabilitiesObserved(XmppMode.C2S, 0, SampleVulnerabilities()), Target, 14),
        Make(new EndpointClientsSimulated(XmppMode.C2S, 0, new ClientSimulationReport(
        [
            new ClientSimulationFacts("firefox-128", SimulationOutcome.Negotiated)
            {
                Protocol = TlsVersion.Tls13, CipherSuite = 0x1301, CipherSuiteName = "TLS_AES_128_GCM_SHA256",
                KeyExchange = KeyExchange.Ecdhe, Group = 0x001D, GroupName = "x25519",
            },
            new ClientSimulationFacts("java-6", SimulationOutcome.HandshakeFailed) { Alert = "handshake_failure", Reason = "no common suite" },
        ], 2)), Target, 15),
        Make(new EndpointCertificateInspected(XmppMode.C2S, 0, SampleReport().Endpoints[0].Certificate! with
        {
            Source = ChainSource.Session,
            KeyTypeChains = [new KeyTypeChainReport(KeyType: "ECDSA", Outcome: KeyTypeOutcome.NotServed, Protocol: null, CipherSuite: null, ChainSha256: [], SameLeafAsSession: null, Chain: null, Trust: null, Identity: null, Ocsp: null,
                Failure: "alert handshake_failure")],
            Ocsp = new OcspStapleFacts(OcspStapleStatus.NotStapled, "status_request offered; no staple sent"),
        }), Target, 16),
    ];

    /// <summary>TLS 1.2 and 1.3 with one suite each, server order, x25519; a TLS 1.0 refusal.</summary>
    private static TlsAssessmentReport SampleAssessment() => new(ProbeStatus.Completed, null, "full", null,
        [
            new ProtocolAssessment(Protocol: "TLSv1.0", Supported: false, SuiteOrder: NegotiationOrder.Indeterminate, Suites: [], Ssl2CipherKinds: [], Refusal: "alert protocol_version", CandidatesTested: 1, Connections: 1, ServerHelloHex: null, Errors: []),
            new ProtocolAssessment(Protocol: "TLSv1.2", Supported: true, SuiteOrder: NegotiationOrder.Server,
                Suites: [new AcceptedSuite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519")], Ssl2CipherKinds: [],
                Refusal: "alert handshake_failure", CandidatesTested: 40, Connections: 2, ServerHelloHex: "0200004d0303", Errors: []),
            new ProtocolAssessment(Protocol: "TLSv1.3", Supported: true, SuiteOrder: NegotiationOrder.Indeterminate,
                Suites: [new AcceptedSuite(0x1301, "TLS_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519")], Ssl2CipherKinds: [], Refusal: "alert handshake_failure", CandidatesTested: 5, Connections: 2, ServerHelloHex: null,
                Errors: [new ProbeFailure(FailureKind.Timeout, "no answer within 10 s")]),
        ],
        new KeyExchangeFacts([], "TLSv1.2", [new NamedCode(0x001D, "x25519")], NegotiationOrder.Indeterminate,
            [new NamedCode(0x001D, "x25519")], NegotiationOrder.Indeterminate),
        new SignatureAlgorithmFacts("TLSv1.2", [new NamedCode(0x0804, "rsa_pss_rsae_sha256")]),
        new ConnectionCounts(7, 6, [new ProbeConnections("protocols", 3), new ProbeConnections("suites TLSv1.2", 4)]));

    /// <summary>Every probe once: completed, failed and skipped results, one derived finding.</summary>
    private static VulnerabilityReport SampleVulnerabilities() => new()
    {
        Probes = new Dictionary<string, JsonElement>
        {
            ["secure_renegotiation"] = Json("""{"status":"completed","facts":{"protocol":"TLSv1.2","renegotiation_info_returned":true,"renegotiated_connection_length":0},"connections":1}"""),
            ["client_renegotiation"] = Json("""{"status":"failed","failure":{"kind":"connection_closed","message":"closed after Finished"},"connections":1}"""),
            ["fallback_scsv"] = Json("""{"status":"skipped","note":"only one version is supported","connections":0}"""),
            ["compression"] = Json("""{"status":"completed","facts":{"protocol":"TLSv1.2","offered_methods":[1,0],"selected_method":0,"compressed":false},"connections":1}"""),
            ["heartbleed"] = Json("""{"status":"skipped","note":"the server does not offer the heartbeat extension","connections":1}"""),
            ["ccs_injection"] = Json("""{"status":"skipped","note":"no TLS version below 1.3 answered","connections":0}"""),
            ["session_resumption"] = Json("""{"status":"skipped","note":"no TLS 1.2","connections":0}"""),
        },
        Derived = [new DerivedFinding(DerivedWeakness.Sweet32, false, "no 64-bit block cipher accepted", [])],
        Connections = 4,
    };

    /// <summary>Probe results are written by each probe's own check (ScanNode); the sample holds their JSON as stored.</summary>
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static EventEnvelope Make<T>(T payload, EventOrigin origin, long sequence) where T : IEventPayload =>
        EventTypeRegistry.Default.Create(payload, origin, sequence, At,
            new Guid(sequence.ToString("D8") + "-0000-4000-8000-" + T.TypeName.Length.ToString("D12")));

    private static DomainReport SampleReport() => new(
        "example.org", XmppMode.C2S, ProbeStatus.Completed, null,
        new DnsReport([new SrvRecord("_xmpp-client._tcp.example.org", 5, 10, 5222, "xmpp.example.org", 3600)],
            false, false, DnssecStatus.Insecure, []),
        [
            new EndpointReport(Target: "xmpp.example.org", Address: "192.0.2.10", Port: 5222, Transport: TlsTransport.StartTls, Priority: 5, Weight: 10, Source: EndpointSource.Srv,
                Status: ProbeStatus.Completed, Failure: null, Xmpp: null,
                Tls: new TlsSessionReport("TLSv1.3", new CipherSuiteName(0x1301, "TLS_AES_128_GCM_SHA256"), null),
                Certificate: new CertificateReport([], new TrustVerdict(true, [], [new string('a', 64)], "CN=Example Root"), null, []),
                ElapsedMs: 123.5),
        ]);
}
