using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Events;

/// <summary>Source-generated JSON metadata for the envelope and every event payload: snake_case, no nulls.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
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
public sealed partial class EventJsonContext : JsonSerializerContext;

/// <summary>The one set of JSON options for events: the generated metadata plus snake_case string enums.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Compact JSON of an envelope (the form used in golden samples and on the wire).</summary>
    public static string Serialize(EventEnvelope envelope) => JsonSerializer.Serialize(envelope, Options);

    public static EventEnvelope Deserialize(string json) =>
        JsonSerializer.Deserialize<EventEnvelope>(json, Options) ?? throw new JsonException("null event envelope");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(EventJsonContext.Default.Options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }
}
