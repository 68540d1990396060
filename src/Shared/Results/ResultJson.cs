using System.Text.Json;
using XmppScanCluster.Shared.Json;

namespace XmppScanCluster.Shared.Results;

/// <summary>The one way results are written and read as JSON: source-generated (<see cref="SharedJsonContext"/>), indented.</summary>
public static class ResultJson
{
    /// <summary>Options for the result model: the generated metadata, indented; no reflection fallback.</summary>
    public static JsonSerializerOptions Options => SharedJsonContext.Indented.Options;

    public static string Serialize(ScanReport report) => JsonSerializer.Serialize(report, SharedJsonContext.Indented.ScanReport);

    public static ScanReport? Deserialize(string json) => JsonSerializer.Deserialize(json, SharedJsonContext.Indented.ScanReport);
}
