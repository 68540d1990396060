using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Serialization;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// Akka.Persistence journal plugin over the census store's journal (<see cref="NodeSetup.Journal"/>): a persisted
/// event becomes one <see cref="EventEnvelope"/> whose type, version and JSON payload come from the configured
/// serializer (<see cref="EventSerializer"/>: manifest <c>type.vN</c>), so the aggregator, reports and API read target
/// actors' events as before. Each atomic write is one append (all or nothing); a conflict — another node wrote the
/// stream — rejects that write only, and the target actor stops. Events are never deleted.
/// </summary>
public sealed class CensusJournal : AsyncWriteJournal
{
    private readonly NodeSetup _setup;
    private readonly Akka.Serialization.Serialization _serialization;

    public CensusJournal()
    {
        var setup = Context.System.Settings.Setup.Get<NodeSetup>();
        _setup = setup.HasValue ? setup.Value : throw new InvalidOperationException("the census journal needs a NodeSetup");
        _serialization = Context.System.Serialization;
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages,
        CancellationToken cancellationToken)
    {
        var results = ImmutableList.CreateBuilder<Exception?>();
        foreach (var write in messages)
        {
            try
            {
                var envelopes = ((IImmutableList<IPersistentRepresentation>)write.Payload).Select(ToEnvelope).ToList();
                await _setup.Journal.AppendAsync(envelopes, cancellationToken).ConfigureAwait(false);
                NodeMetrics.EventsWritten.Add(envelopes.Count);
                results.Add(null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results.Add(e);
            }
        }

        return results.ToImmutable();
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr,
        long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        var (censusId, streamId) = TargetPersistenceIds.Parse(persistenceId);
        var events = await _setup.Journal.ReadAsync(censusId, streamId, CancellationToken.None).ConfigureAwait(false);
        foreach (var e in events.Where(e => e.Sequence >= fromSequenceNr && e.Sequence <= toSequenceNr)
                     .Take((int)Math.Min(max, int.MaxValue)))
        {
            var manifest = EventSerializer.ManifestOf(e.Type, e.SchemaVersion);
            recoveryCallback(new Persistent(Payload(e, manifest), e.Sequence, persistenceId, manifest, false,
                ActorRefs.NoSender, null, e.OccurredAt.ToUnixTimeMilliseconds()));
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr,
        CancellationToken cancellationToken)
    {
        var (censusId, streamId) = TargetPersistenceIds.Parse(persistenceId);
        var events = await _setup.Journal.ReadAsync(censusId, streamId, cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? 0 : events.Max(e => e.Sequence);
    }

    /// <summary>Target streams are the census's record: nothing deletes them.</summary>
    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        throw new NotSupportedException("census events are never deleted");

    private EventEnvelope ToEnvelope(IPersistentRepresentation repr)
    {
        var (censusId, streamId) = TargetPersistenceIds.Parse(repr.PersistenceId);
        var payload = repr.Payload is Tagged tagged ? tagged.Payload : repr.Payload; // tags are Akka.Persistence.Sql's
        var serializer = (SerializerWithStringManifest)_serialization.FindSerializerFor(payload);
        var (type, version) = EventSerializer.ParseManifest(serializer.Manifest(payload));
        using var json = JsonDocument.Parse(serializer.ToBinary(payload));
        return new EventEnvelope(Guid.NewGuid(), censusId, streamId, repr.SequenceNr, _setup.NodeId, _setup.Region,
            _setup.Time.GetUtcNow().ToUniversalTime(), type, version, json.RootElement.Clone());
    }

    /// <summary>An event type this build does not know still takes its sequence number (<see cref="UnknownFact"/>).</summary>
    private object Payload(EventEnvelope e, string manifest) =>
        EventTypeRegistry.Default.TryGet(e.Type, out _)
            ? _serialization.Deserialize(JsonSerializer.SerializeToUtf8Bytes(e.Payload), EventSerializer.Id, manifest)
            : new UnknownFact(e.Type);
}

/// <summary>An event this build cannot read (written by a newer one): it changes nothing but the sequence.</summary>
public sealed record UnknownFact(string TypeName) : IEventData;
