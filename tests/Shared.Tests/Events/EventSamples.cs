using System.Text.Json;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Tests.Events;

/// <summary>One deterministic envelope per event type at its current version: the source of new golden files.</summary>
internal static class EventSamples
{
    private static readonly EventOrigin Target = new(
        Guid.Parse("6f1c2a9e-0d1b-4c55-9b61-1f2e3d4c5b6a"), Guid.Parse("0b7e6c1d-2a3f-4e5d-8c9b-a1b2c3d4e5f6"), "node-eu-1", "eu");

    private static readonly EventOrigin Census = Target with { TargetId = EventEnvelope.CensusStream, NodeId = "coordinator" };

    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static readonly EndpointRef Endpoint = new("192.0.2.10", 5222, XmppMode.C2S, TlsTransport.StartTls);

    public static IReadOnlyList<EventEnvelope> All() =>
    [
        Make(new CensusCreated("november-2026", "xmpp-2026", ["eu", "us"],
            JsonDocument.Parse("""{"timeout_seconds":30}""").RootElement), Census, 1),
        Make(new TargetPlanned("example.org", "eu", "192.0.2.0/24", ["192.0.2.10", "2001:db8::10"]), Target, 1),
        Make(new ShardLeased(42, "192.0.2.0/24", 3, At.AddMinutes(5)), Census, 2),
        Make(new EndpointDiscovered("example.org", XmppMode.C2S, TlsTransport.StartTls, "xmpp.example.org",
            "192.0.2.10", 5222, 5, 10, EndpointSource.Srv), Target, 2),
        Make(new StartTlsRequired(Endpoint), Target, 3),
        Make(new CipherSuiteAccepted(Endpoint, "TLSv1.2", 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), Target, 4),
        Make(new CertificateObserved(Endpoint, 0, new string('a', 64)), Target, 5),
        Make(new ProbeFailed(Endpoint, "protocol_support", FailureKind.TlsAlert, "handshake_failure for TLSv1.0"), Target, 6),
        Make(new DomainScanCompleted(SampleReport()), Target, 7),
        Make(new TargetScanCompleted("example.org", ProbeStatus.Completed, null, 1), Target, 8),
        Make(new TargetScanStarted(Target.TargetId, "example.org", [XmppMode.C2S, XmppMode.S2S], ["session"]), Target, 9),
        Make(new DiscoveryCompleted("example.org", XmppMode.C2S, SampleReport().Dns!, 1), Target, 10),
        Make(new EndpointSessionObserved(XmppMode.C2S, 0, SampleReport().Endpoints[0]), Target, 11),
        Make(new ScanStepCompleted("session", XmppMode.C2S, 0, StepStatus.Inconclusive,
            new ProbeFailure(FailureKind.StreamError, "policy-violation"), 3), Target, 12),
    ];

    private static EventEnvelope Make<T>(T payload, EventOrigin origin, long sequence) where T : IEventPayload =>
        EventTypeRegistry.Default.Create(payload, origin, sequence, At,
            new Guid(sequence.ToString("D8") + "-0000-4000-8000-" + T.TypeName.Length.ToString("D12")));

    private static DomainReport SampleReport() => new(
        "example.org", XmppMode.C2S, ProbeStatus.Completed, null,
        new DnsReport([new SrvRecord("_xmpp-client._tcp.example.org", 5, 10, 5222, "xmpp.example.org", 3600)],
            false, false, DnssecStatus.Insecure, []),
        [
            new EndpointReport("xmpp.example.org", "192.0.2.10", 5222, TlsTransport.StartTls, 5, 10, EndpointSource.Srv,
                ProbeStatus.Completed, null, null,
                new TlsSessionReport("TLSv1.3", new CipherSuiteName(0x1301, "TLS_AES_128_GCM_SHA256"), null),
                new CertificateReport([], new TrustVerdict(true, [], [new string('a', 64)], "CN=Example Root"), null, []),
                123.5),
        ]);
}
