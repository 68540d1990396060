using System.Text.Json.Serialization;
using XmppScanCluster.Shared.Json;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Source-generated JSON metadata of every probe's facts record (the one list a new probe adds its record to; a check
/// whose record is missing fails at its first use and in VulnerabilityFactsJsonTests). Same settings as the result
/// model: snake_case, no nulls, every enum of the records named in <c>Converters</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(SnakeCaseEnum<ClientRenegotiation>), typeof(SnakeCaseEnum<FallbackReaction>), typeof(SnakeCaseEnum<RecordReaction>),
        typeof(SnakeCaseEnum<RobotOracle>), typeof(SnakeCaseEnum<RobotVariant>),
    ])]
[JsonSerializable(typeof(SecureRenegotiationFacts))]
[JsonSerializable(typeof(ClientRenegotiationFacts))]
[JsonSerializable(typeof(FallbackScsvFacts))]
[JsonSerializable(typeof(CompressionFacts))]
[JsonSerializable(typeof(HeartbleedFacts))]
[JsonSerializable(typeof(CcsInjectionFacts))]
[JsonSerializable(typeof(SessionResumptionFacts))]
[JsonSerializable(typeof(RobotFacts))]
public sealed partial class ProbeFactsJsonContext : JsonSerializerContext;
