using System.Text.Json;
using System.Text.Json.Serialization;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Shared.Json;

/// <summary>
/// Source-generated JSON metadata for the result model, the event envelope and every event payload: snake_case names,
/// no nulls, enums as snake_case strings. Every enum of the graph is named in <c>Converters</c> (a missing one would be
/// written as a number: SharedJsonContextTests walks the graph). Compact; <see cref="ResultJson"/> writes indented.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(SnakeCaseEnum<ChainCertificateOrigin>), typeof(SnakeCaseEnum<DaneResult>), typeof(SnakeCaseEnum<IdentityMatchKind>),
        typeof(SnakeCaseEnum<KeyAlgorithm>), typeof(SnakeCaseEnum<OcspCertStatus>), typeof(SnakeCaseEnum<OcspStapleStatus>),
        typeof(SnakeCaseEnum<SubjectAltNameType>), typeof(SnakeCaseEnum<TrustProblem>), typeof(SnakeCaseEnum<SimulationOutcome>),
        typeof(SnakeCaseEnum<DnssecStatus>), typeof(SnakeCaseEnum<StepStatus>), typeof(SnakeCaseEnum<EndpointSource>),
        typeof(SnakeCaseEnum<FailureKind>), typeof(SnakeCaseEnum<TlsTransport>), typeof(SnakeCaseEnum<XmppMode>),
        typeof(SnakeCaseEnum<ChainSource>), typeof(SnakeCaseEnum<KeyTypeOutcome>), typeof(SnakeCaseEnum<NegotiationOrder>),
        typeof(SnakeCaseEnum<ProbeStatus>), typeof(SnakeCaseEnum<RatingLevel>), typeof(SnakeCaseEnum<SessionClient>),
        typeof(SnakeCaseEnum<DerivedWeakness>), typeof(SnakeCaseEnum<KeyExchange>), typeof(SnakeCaseEnum<TlsVersion>),
        typeof(SnakeCaseEnum<StartTlsSupport>),
    ])]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(EndpointDiscovered))]
[JsonSerializable(typeof(StartTlsRequired))]
[JsonSerializable(typeof(CertificateObserved))]
[JsonSerializable(typeof(DomainScanCompleted))]
[JsonSerializable(typeof(TargetScanCompleted))]
[JsonSerializable(typeof(TargetScanStarted))]
[JsonSerializable(typeof(DiscoveryCompleted))]
[JsonSerializable(typeof(EndpointSessionObserved))]
[JsonSerializable(typeof(ScanStepCompleted))]
[JsonSerializable(typeof(EndpointTlsAssessed))]
[JsonSerializable(typeof(EndpointVulnerabilitiesObserved))]
[JsonSerializable(typeof(EndpointClientsSimulated))]
[JsonSerializable(typeof(EndpointCertificateInspected))]
public sealed partial class SharedJsonContext : JsonSerializerContext
{
    private static SharedJsonContext? s_indented;

    /// <summary>The same metadata writing indented (the result files and <c>--json</c>). Made on first use: a static
    /// initializer here could run before the generated <see cref="Default"/> is set.</summary>
    public static SharedJsonContext Indented =>
        s_indented ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
