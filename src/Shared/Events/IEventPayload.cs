namespace XmppScanCluster.Shared.Events;

/// <summary>
/// An event payload: a record with a stable snake_case type name and the schema version it is written with.
/// Within a version, changes are additive (new optional fields); anything else bumps
/// <see cref="SchemaVersion"/> and registers an upcaster from the old version (see <see cref="EventTypeRegistry"/>).
/// </summary>
public interface IEventPayload : IEventData
{
    /// <summary>Stable name stored with every event, e.g. <c>scan_step_completed</c>.</summary>
    static abstract string TypeName { get; }

    /// <summary>The version this CLR type reads and writes.</summary>
    static abstract int SchemaVersion { get; }
}

/// <summary>Any event payload as a value: the non-generic face of <see cref="IEventPayload"/>, for lists of facts
/// (an interface with static abstract members cannot be a type argument).</summary>
public interface IEventData;
