using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Serialization;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Tests.Events;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary>
/// Events through Akka's serialization as the node configures it: every golden sample (tests/Shared.Tests/Events/Golden)
/// reads back through <see cref="EventSerializer"/> under its manifest <c>type.vN</c> (older versions upcast), and a
/// current-version payload is written back byte-for-byte as the same JSON.
/// </summary>
public sealed class EventSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-tests", NodeActorConfig.Config);

    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(GoldenFiles.Directory, "*.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Files))]
    public void GoldenSample_readsThroughTheConfiguredSerializer_andCurrentVersionsWriteTheSameJson(string file)
    {
        var envelope = EventJson.Deserialize(File.ReadAllText(Path.Combine(GoldenFiles.Directory, file)));
        var manifest = EventSerializer.ManifestOf(envelope.Type, envelope.SchemaVersion);
        var bytes = Encoding.UTF8.GetBytes(envelope.Payload.GetRawText());

        var payload = _system.Serialization.Deserialize(bytes, EventSerializer.Id, manifest);

        Assert.Equal(EventTypeRegistry.Default.Deserialize(envelope).GetType(), payload.GetType());
        var serializer = Assert.IsType<EventSerializer>(_system.Serialization.FindSerializerFor(payload));
        Assert.True(EventTypeRegistry.Default.TryGet(envelope.Type, out var entry));
        Assert.Equal(EventSerializer.ManifestOf(envelope.Type, entry.CurrentVersion), serializer.Manifest(payload));
        if (entry.CurrentVersion == envelope.SchemaVersion)
        {
            var written = JsonNode.Parse(serializer.ToBinary(payload));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(envelope.Payload.GetRawText()), written), $"{file} changed:\n{written}");
        }
    }

    [Theory]
    [InlineData("target_scan_started.v99")]
    [InlineData("target_scan_started")]
    public void ManifestThisBuildCannotRead_isRefused_notHalfRead(string manifest)
    {
        Assert.Throws<UnknownEventException>(() =>
            _system.Serialization.Deserialize(Encoding.UTF8.GetBytes("{}"), EventSerializer.Id, manifest));
    }

    [Fact]
    public void EventOfATypeThisBuildDoesNotKnow_readsAsAnUnknownFact_soItKeepsItsSequence()
    {
        var payload = _system.Serialization.Deserialize(Encoding.UTF8.GetBytes("{}"), EventSerializer.Id, "fact_from_a_newer_build.v1");

        Assert.Equal(new UnknownFact("fact_from_a_newer_build"), payload);
    }

    [Fact]
    public void PersistenceIds_roundTrip_andForeignIdsAreRefused()
    {
        var (census, stream) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal((census, stream), TargetPersistenceIds.Parse(TargetPersistenceIds.For(census, stream)));
        Assert.Throws<ArgumentException>(() => TargetPersistenceIds.Parse("shard-" + census.ToString("N")));
    }

    public void Dispose() => _system.Terminate().Wait();
}
