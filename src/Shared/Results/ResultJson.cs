using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Results;

/// <summary>Source-generated JSON metadata for the result model: snake_case names, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScanReport))]
[JsonSerializable(typeof(ProbeResult))]
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
