using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace XmppScanCluster.Shared.Events;

/// <summary>Turns a payload of <paramref name="fromVersion"/> into the next version's shape.</summary>
public delegate JsonObject EventUpcaster(JsonObject payload, int fromVersion);

/// <summary>Thrown when an event's type or version is not known to this build.</summary>
public sealed class UnknownEventException(string message) : Exception(message);

/// <summary>
/// Maps stable type names and schema versions to payload types. Reading an event of an older version runs
/// its upcasters one version at a time (v1 → v2 → … → current) on the JSON, then deserializes the current
/// record; an event of a newer version than this build knows is refused rather than half-read.
/// </summary>
public sealed class EventTypeRegistry
{
    /// <summary>One registered type: its name, current version, CLR type and JSON metadata.</summary>
    public sealed record Entry(string TypeName, int CurrentVersion, Type ClrType, JsonTypeInfo TypeInfo);

    private readonly FrozenDictionary<string, Entry> _byName;
    private readonly FrozenDictionary<Type, Entry> _byType;
    private readonly FrozenDictionary<(string, int), EventUpcaster> _upcasters;

    private EventTypeRegistry(IEnumerable<Entry> entries, Dictionary<(string, int), EventUpcaster> upcasters)
    {
        _byName = entries.ToFrozenDictionary(e => e.TypeName, StringComparer.Ordinal);
        _byType = _byName.Values.ToFrozenDictionary(e => e.ClrType);
        _upcasters = upcasters.ToFrozenDictionary();
    }

    /// <summary>Every event type of the project, at its current version.</summary>
    public static EventTypeRegistry Default { get; } = new Builder()
        .Add<EndpointDiscovered>()
        .Add<StartTlsRequired>()
        .Add<CertificateObserved>()
        .Add<DomainScanCompleted>()
        .Add<TargetScanCompleted>()
        .Add<TargetScanStarted>()
        .Add<DiscoveryCompleted>()
        .Add<EndpointSessionObserved>()
        .Add<ScanStepCompleted>()
        .Add<EndpointTlsAssessed>()
        .Add<EndpointVulnerabilitiesObserved>()
        .Add<EndpointClientsSimulated>()
        .Add<EndpointCertificateInspected>()
        // v2 added endpoints_in_stream; a v1 report holds its endpoints.
        .AddUpcaster(DomainScanCompleted.TypeName, 1, (payload, _) =>
        {
            payload["endpoints_in_stream"] = false;
            return payload;
        })
        .Build();

    public IReadOnlyCollection<Entry> Entries => _byName.Values;

    /// <summary>Every (type, version) this registry can read: current versions and every upcast source.</summary>
    public IEnumerable<(string TypeName, int Version)> ReadableVersions =>
        _byName.Values.Select(e => (e.TypeName, e.CurrentVersion)).Concat(_upcasters.Keys.Select(k => (k.Item1, k.Item2)));

    public bool TryGet(string typeName, out Entry entry) => _byName.TryGetValue(typeName, out entry!);

    /// <summary>The entry of a payload's CLR type (how a serializer names what it writes).</summary>
    public bool TryGet(Type payloadType, out Entry entry) => _byType.TryGetValue(payloadType, out entry!);

    /// <summary>Wraps a payload into an envelope at its current version.</summary>
    public EventEnvelope Create<T>(T payload, EventOrigin origin, long sequence, DateTimeOffset occurredAt, Guid? eventId = null)
        where T : IEventPayload
    {
        if (!_byType.TryGetValue(typeof(T), out var entry))
        {
            throw new UnknownEventException($"{typeof(T).Name} is not a registered event payload");
        }

        var json = JsonSerializer.SerializeToElement(payload, (JsonTypeInfo<T>)entry.TypeInfo);
        return new EventEnvelope(eventId ?? Guid.NewGuid(), origin.CensusId, origin.TargetId, sequence, origin.NodeId,
            origin.Region, occurredAt.ToUniversalTime(), entry.TypeName, entry.CurrentVersion, json);
    }

    /// <summary>Wraps a payload known only by its interface (a list of facts) into an envelope at its current version.</summary>
    public EventEnvelope CreateUntyped(IEventData payload, EventOrigin origin, long sequence, DateTimeOffset occurredAt,
        Guid? eventId = null)
    {
        if (!_byType.TryGetValue(payload.GetType(), out var entry))
        {
            throw new UnknownEventException($"{payload.GetType().Name} is not a registered event payload");
        }

        var json = JsonSerializer.SerializeToElement(payload, entry.TypeInfo);
        return new EventEnvelope(eventId ?? Guid.NewGuid(), origin.CensusId, origin.TargetId, sequence, origin.NodeId,
            origin.Region, occurredAt.ToUniversalTime(), entry.TypeName, entry.CurrentVersion, json);
    }

    /// <summary>The payload as its current record type, upcasting older versions first.</summary>
    public IEventPayload Deserialize(EventEnvelope envelope) =>
        Deserialize(envelope.Type, envelope.SchemaVersion, envelope.Payload);

    /// <summary>A payload of <paramref name="typeName"/> at <paramref name="version"/> as its current record type.</summary>
    public IEventPayload Deserialize(string typeName, int version, JsonElement payload)
    {
        if (!_byName.TryGetValue(typeName, out var entry))
        {
            throw new UnknownEventException($"unknown event type '{typeName}'");
        }

        if (version != entry.CurrentVersion)
        {
            using var upcast = JsonDocument.Parse(Upcast(entry, version, payload).ToJsonString());
            payload = upcast.RootElement.Clone();
        }

        return (IEventPayload)(payload.Deserialize(entry.TypeInfo)
            ?? throw new JsonException($"null payload in {typeName} v{version}"));
    }

    /// <summary>The payload as <typeparamref name="T"/>; throws if the envelope holds another type.</summary>
    public T Deserialize<T>(EventEnvelope envelope) where T : IEventPayload =>
        Deserialize(envelope) is T typed
            ? typed
            : throw new InvalidCastException($"{envelope.Type} is not {T.TypeName}");

    private JsonObject Upcast(Entry entry, int version, JsonElement payload)
    {
        if (version > entry.CurrentVersion || version < 1)
        {
            throw new UnknownEventException(
                $"{entry.TypeName} v{version} cannot be read by this build (current v{entry.CurrentVersion})");
        }

        var node = JsonNode.Parse(payload.GetRawText()) as JsonObject
            ?? throw new JsonException($"{entry.TypeName} v{version} payload is not a JSON object");
        for (var v = version; v < entry.CurrentVersion; v++)
        {
            if (!_upcasters.TryGetValue((entry.TypeName, v), out var upcaster))
            {
                throw new UnknownEventException($"no upcaster for {entry.TypeName} v{v} → v{v + 1}");
            }

            node = upcaster(node, v);
        }

        return node;
    }

    /// <summary>Collects types and upcasters; a name or a (name, version) upcaster may appear once.</summary>
    public sealed class Builder
    {
        private readonly List<Entry> _entries = [];
        private readonly Dictionary<(string, int), EventUpcaster> _upcasters = [];

        /// <summary>Registers <typeparamref name="T"/> with the project's generated metadata, or <paramref name="typeInfo"/>.</summary>
        public Builder Add<T>(JsonTypeInfo<T>? typeInfo = null) where T : IEventPayload
        {
            if (_entries.Any(e => e.TypeName == T.TypeName))
            {
                throw new ArgumentException($"event type '{T.TypeName}' registered twice");
            }

            if (!IsSnakeCase(T.TypeName))
            {
                throw new ArgumentException($"event type name '{T.TypeName}' is not snake_case");
            }

            typeInfo ??= (JsonTypeInfo<T>)EventJson.Options.GetTypeInfo(typeof(T));
            _entries.Add(new Entry(T.TypeName, T.SchemaVersion, typeof(T), typeInfo));
            return this;
        }

        /// <summary>Registers the step from <paramref name="fromVersion"/> to <paramref name="fromVersion"/> + 1.</summary>
        public Builder AddUpcaster(string typeName, int fromVersion, EventUpcaster upcaster)
        {
            if (!_upcasters.TryAdd((typeName, fromVersion), upcaster))
            {
                throw new ArgumentException($"upcaster for {typeName} v{fromVersion} registered twice");
            }

            return this;
        }

        public EventTypeRegistry Build() => new(_entries, _upcasters);

        private static bool IsSnakeCase(string name) =>
            name.Length > 0 && char.IsAsciiLetterLower(name[0]) && name[^1] != '_' &&
            name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && !name.Contains("__");
    }
}
