using System.Text.Json.Serialization;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Json;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>
/// The stored form of one planned discovery result (<see cref="DiscoveryCodec"/>): the very facts its discover step
/// writes to the journal (<c>endpoint_discovered</c> in scan order, then <c>discovery_completed</c>), so the store keeps
/// nothing the journal does not already say in the same words.
/// </summary>
public sealed record DiscoveryJson(IReadOnlyList<EndpointDiscovered> Endpoints, DiscoveryCompleted Completed);

/// <summary>
/// Source-generated JSON of <see cref="DiscoveryJson"/> with the journal's names (snake_case, enums as names). Read back
/// from a database other processes write, so it refuses what the writer never makes: nulls where the records have
/// none, missing constructor parameters, enum numbers, nesting deeper than the form has.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 8,
    Converters =
    [
        typeof(SnakeCaseEnum<XmppMode>), typeof(SnakeCaseEnum<TlsTransport>), typeof(SnakeCaseEnum<EndpointSource>),
        typeof(SnakeCaseEnum<DnssecStatus>), typeof(SnakeCaseEnum<FailureKind>),
    ])]
[JsonSerializable(typeof(DiscoveryJson))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
