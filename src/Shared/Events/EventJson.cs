using System.Text.Json;
using XmppScanCluster.Shared.Json;

namespace XmppScanCluster.Shared.Events;

/// <summary>The one set of JSON options for events: source-generated (<see cref="SharedJsonContext"/>), compact.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options => SharedJsonContext.Default.Options;

    /// <summary>Compact JSON of an envelope (the form used in golden samples and on the wire).</summary>
    public static string Serialize(EventEnvelope envelope) => JsonSerializer.Serialize(envelope, SharedJsonContext.Default.EventEnvelope);

    public static EventEnvelope Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SharedJsonContext.Default.EventEnvelope) ?? throw new JsonException("null event envelope");
}
