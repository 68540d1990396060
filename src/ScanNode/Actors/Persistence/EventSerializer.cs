using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// Akka's serializer for every event payload: the manifest is the stable type name and schema version
/// (<c>target_scan_started.v1</c>), the bytes are the payload's source-generated snake_case JSON — the same JSON the
/// golden samples hold, never a CLR type name. Reading an older version runs the registry's upcasters; a version
/// newer than this build knows is refused (<see cref="UnknownEventException"/>) rather than half-read.
/// Bound to <see cref="IEventData"/> in <see cref="NodeActorConfig"/>.
/// </summary>
public sealed class EventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Fixed forever: stored events name their serializer by this number (Akka reserves 0–40).</summary>
    public const int Id = 1101;

    private readonly EventTypeRegistry _registry = EventTypeRegistry.Default;

    public override int Identifier => Id;

    public override string Manifest(object o) => Entry(o) is var e ? ManifestOf(e.TypeName, e.CurrentVersion) : "";

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, Entry(obj).TypeInfo);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var (type, version) = ParseManifest(manifest);
        if (!_registry.TryGet(type, out _))
        {
            return new UnknownFact(type); // written by a newer build: it still takes its sequence number
        }

        using var json = JsonDocument.Parse(bytes);
        return _registry.Deserialize(type, version, json.RootElement);
    }

    /// <summary><c>type.vN</c>.</summary>
    public static string ManifestOf(string typeName, int version) =>
        $"{typeName}.v{version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Splits <c>type.vN</c>; anything else is not one of ours.</summary>
    public static (string TypeName, int Version) ParseManifest(string manifest)
    {
        var dot = manifest.LastIndexOf(".v", StringComparison.Ordinal);
        if (dot <= 0 || !int.TryParse(manifest.AsSpan(dot + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new UnknownEventException($"'{manifest}' is not an event manifest (type.vN)");
        }

        return (manifest[..dot], version);
    }

    private EventTypeRegistry.Entry Entry(object o) =>
        _registry.TryGet(o.GetType(), out var entry)
            ? entry
            : throw new UnknownEventException($"{o.GetType().Name} is not a registered event payload");
}

/// <summary>An event this build cannot read (a type written by a newer one): it changes nothing but the sequence.</summary>
public sealed record UnknownFact(string TypeName) : IEventData;
