using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Tests.Events;

/// <summary>A test-only payload at version 3 whose older shapes are upcast: v1 {host}, v2 {domain}, v3 {domain, port}.</summary>
public sealed record RenamedThing(string Domain, int Port) : IEventPayload
{
    public static string TypeName => "renamed_thing";
    public static int SchemaVersion => 3;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RenamedThing))]
internal sealed partial class TestEventJsonContext : JsonSerializerContext;

public class EventTypeRegistryTests
{
    private static readonly EventOrigin Origin = new(Guid.NewGuid(), Guid.NewGuid(), "node-1", "eu");

    private static EventTypeRegistry UpcastingRegistry() => new EventTypeRegistry.Builder()
        .Add(TestEventJsonContext.Default.RenamedThing)
        .AddUpcaster("renamed_thing", 1, (p, _) => new JsonObject { ["domain"] = p["host"]!.DeepClone() })
        .AddUpcaster("renamed_thing", 2, (p, _) => { p["port"] = 5222; return p; })
        .Build();

    private static EventEnvelope Raw(string type, int version, string payload) =>
        new(Guid.NewGuid(), Origin.CensusId, Origin.TargetId, 1, "n", "eu", DateTimeOffset.UnixEpoch, type, version,
            JsonDocument.Parse(payload).RootElement);

    [Fact]
    public void Version1Payload_isUpcastTwiceToCurrent()
    {
        var payload = UpcastingRegistry().Deserialize<RenamedThing>(Raw("renamed_thing", 1, """{"host":"a.example"}"""));
        Assert.Equal(new RenamedThing("a.example", 5222), payload);
    }

    [Fact]
    public void DomainScanCompletedV1_keepsItsEndpoints_andDoesNotPointToTheStream()
    {
        var v1 = EventJson.Deserialize(File.ReadAllText(GoldenFiles.PathFor(DomainScanCompleted.TypeName, 1)));

        var payload = EventTypeRegistry.Default.Deserialize<DomainScanCompleted>(v1);

        Assert.False(payload.EndpointsInStream);
        Assert.Equal(["192.0.2.10"], payload.Report.Endpoints.Select(e => e.Address));
    }

    [Fact]
    public void NewerVersionThanBuild_isRefused()
    {
        var error = Assert.Throws<UnknownEventException>(() =>
            UpcastingRegistry().Deserialize(Raw("renamed_thing", 4, """{"domain":"a"}""")));
        Assert.Contains("v4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUpcaster_isReportedWithTheGap()
    {
        var registry = new EventTypeRegistry.Builder().Add(TestEventJsonContext.Default.RenamedThing).Build();
        var error = Assert.Throws<UnknownEventException>(() => registry.Deserialize(Raw("renamed_thing", 2, "{}")));
        Assert.Contains("v2 → v3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownType_isRefused() =>
        Assert.Throws<UnknownEventException>(() => EventTypeRegistry.Default.Deserialize(Raw("no_such_event", 1, "{}")));

    [Fact]
    public void DuplicateTypeName_isRejectedAtBuild() =>
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry.Builder()
            .Add(TestEventJsonContext.Default.RenamedThing).Add(TestEventJsonContext.Default.RenamedThing));

    [Fact]
    public void DefaultTypeNames_areSnakeCaseAndNotClrNames()
    {
        foreach (var entry in EventTypeRegistry.Default.Entries)
        {
            Assert.Matches("^[a-z][a-z0-9_]*[a-z0-9]$", entry.TypeName);
            Assert.NotEqual(entry.ClrType.Name, entry.TypeName);
        }
    }

    [Fact]
    public void Create_writesSnakeCaseEnumsAsStringsAndUtcTime()
    {
        var envelope = EventTypeRegistry.Default.Create(
            new ScanStepCompleted("session", XmppMode.S2S, 0, StepStatus.Failed, new ProbeFailure(FailureKind.TlsHandshakeFailed, "x"), 1), Origin, 7,
            new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(2)));

        var json = EventJson.Serialize(envelope);
        Assert.Contains("\"type\":\"scan_step_completed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"tls_handshake_failed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"mode\":\"s2s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"failed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"schema_version\":1", json, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, envelope.OccurredAt.Offset);
        Assert.Equal(10, envelope.OccurredAt.Hour);
        Assert.DoesNotContain("ScanStepCompleted", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Envelope_roundTripsThroughJson()
    {
        var envelope = EventTypeRegistry.Default.Create(new StartTlsRequired(
            new EndpointRef("192.0.2.1", 5222, XmppMode.C2S, TlsTransport.StartTls)), Origin, 1, DateTimeOffset.UtcNow);
        var back = EventJson.Deserialize(EventJson.Serialize(envelope));
        Assert.Equal(envelope.EventId, back.EventId);
        Assert.Equal(envelope.Sequence, back.Sequence);
        Assert.Equal<object>(EventTypeRegistry.Default.Deserialize(envelope), EventTypeRegistry.Default.Deserialize(back));
    }
}
