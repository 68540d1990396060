using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Shared.Tests.Events;

/// <summary>
/// Every (type, version) the registry can read has a golden JSON sample that stays in the repository forever
/// and must keep deserializing. New samples are written with XMPPSCAN_WRITE_GOLDEN=1 (never overwritten).
/// </summary>
public class GoldenSampleTests
{
    public static TheoryData<string> Files() =>
        new(System.IO.Directory.GetFiles(GoldenFiles.Directory, "*.json").Select(Path.GetFileName).OfType<string>());

    [Fact]
    public void EveryReadableVersion_hasAGoldenSample()
    {
        if (Environment.GetEnvironmentVariable("XMPPSCAN_WRITE_GOLDEN") == "1")
        {
            foreach (var sample in EventSamples.All())
            {
                var path = GoldenFiles.PathFor(sample.Type, sample.SchemaVersion);
                if (!File.Exists(path))
                {
                    File.WriteAllText(path, JsonNode.Parse(EventJson.Serialize(sample))!.ToJsonString(
                        new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
                }
            }
        }

        var missing = EventTypeRegistry.Default.ReadableVersions
            .Where(v => !File.Exists(GoldenFiles.PathFor(v.TypeName, v.Version)))
            .Select(v => $"{v.TypeName}.v{v.Version}.json")
            .ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void GoldenSample_stillDeserializes(string file)
    {
        var envelope = EventJson.Deserialize(File.ReadAllText(Path.Combine(GoldenFiles.Directory, file)));

        Assert.Equal($"{envelope.Type}.v{envelope.SchemaVersion}.json", file);
        Assert.True(EventTypeRegistry.Default.TryGet(envelope.Type, out var entry));
        var payload = EventTypeRegistry.Default.Deserialize(envelope);
        Assert.IsType(entry.ClrType, payload);
        Assert.Equal(DateTimeKind.Utc, envelope.OccurredAt.UtcDateTime.Kind);
        Assert.Equal(TimeSpan.Zero, envelope.OccurredAt.Offset);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CurrentVersionSample_roundTripsToTheSameJson(string file)
    {
        var text = File.ReadAllText(Path.Combine(GoldenFiles.Directory, file));
        var envelope = EventJson.Deserialize(text);
        Assert.True(EventTypeRegistry.Default.TryGet(envelope.Type, out var entry));
        if (entry.CurrentVersion != envelope.SchemaVersion)
        {
            return; // older versions are upcast, not written any more
        }

        var payload = EventTypeRegistry.Default.Deserialize(envelope);
        var rewritten = envelope with { Payload = JsonSerializer.SerializeToElement(payload, entry.TypeInfo) };

        var expected = JsonNode.Parse(text);
        var actual = JsonNode.Parse(EventJson.Serialize(rewritten));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{file} changed:\n{actual}");
    }

    [Fact]
    public void Samples_coverEveryRegisteredType()
    {
        var sampled = EventSamples.All().Select(e => e.Type).ToHashSet();
        Assert.All(EventTypeRegistry.Default.Entries, e => Assert.Contains(e.TypeName, sampled));
    }
}
