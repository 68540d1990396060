using System.Text.Json;
using System.Text.Json.Serialization;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Shared.Results;

/// <summary>Source-generated JSON metadata for the result model: snake_case names, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanReport))]
// The generic probe results, closed over each probe's facts (reached from ScanReport too; named here so the
// generated metadata has stable property names).
[JsonSerializable(typeof(VulnerabilityProbeResult<SecureRenegotiationFacts>), TypeInfoPropertyName = "SecureRenegotiationResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<ClientRenegotiationFacts>), TypeInfoPropertyName = "ClientRenegotiationResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<FallbackScsvFacts>), TypeInfoPropertyName = "FallbackScsvResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<CompressionFacts>), TypeInfoPropertyName = "CompressionResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<HeartbleedFacts>), TypeInfoPropertyName = "HeartbleedResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<CcsInjectionFacts>), TypeInfoPropertyName = "CcsInjectionResult")]
[JsonSerializable(typeof(VulnerabilityProbeResult<SessionResumptionFacts>), TypeInfoPropertyName = "SessionResumptionResult")]
public sealed partial class ResultJsonContext : JsonSerializerContext;

/// <summary>The one way results are written and read as JSON.</summary>
public static class ResultJson
{
    /// <summary>Options for the result model: the generated metadata plus snake_case string enums.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(ScanReport report) => JsonSerializer.Serialize(report, Options);

    public static ScanReport? Deserialize(string json) => JsonSerializer.Deserialize<ScanReport>(json, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(ResultJsonContext.Default.Options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }
}
