using System.Text.Json;

namespace XmppScanCluster.Shared.Events;

/// <summary>
/// One persisted event: who wrote it, where it belongs, and its payload as JSON. The pair
/// (<see cref="CensusId"/>, <see cref="TargetId"/>, <see cref="Sequence"/>) is unique, so a redelivered
/// event is recognised and stored once. <see cref="Type"/> is a stable snake_case name and
/// <see cref="SchemaVersion"/> the payload's version, never a CLR type name.
/// </summary>
/// <param name="EventId">Unique id of this event, chosen by the writer.</param>
/// <param name="CensusId">The census the event belongs to.</param>
/// <param name="TargetId">The target stream (<c>TargetStreams.For(target, region, generation)</c>).</param>
/// <param name="Sequence">Position within the target's stream, from 1, unique per (census, target).</param>
/// <param name="NodeId">The scan node or coordinator that wrote it.</param>
/// <param name="Region">The region the writer scans from.</param>
/// <param name="OccurredAt">When it happened, UTC.</param>
/// <param name="Type">Stable type name, e.g. <c>scan_step_completed</c>.</param>
/// <param name="SchemaVersion">Version of the payload's schema for <paramref name="Type"/>.</param>
/// <param name="Payload">The payload, snake_case JSON.</param>
public sealed record EventEnvelope(
    Guid EventId,
    Guid CensusId,
    Guid TargetId,
    long Sequence,
    string NodeId,
    string Region,
    DateTimeOffset OccurredAt,
    string Type,
    int SchemaVersion,
    JsonElement Payload);

/// <summary>Who writes an event and for which stream: everything of an envelope except type and payload.</summary>
public sealed record EventOrigin(Guid CensusId, Guid TargetId, string NodeId, string Region);
