using System.Text.Json.Serialization;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>Source-generated JSON of the statistics (snake_case, enums as strings), for <c>--json</c> and the HTTP API.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(CensusStatistics))]
public sealed partial class StatisticsJsonContext : JsonSerializerContext;
