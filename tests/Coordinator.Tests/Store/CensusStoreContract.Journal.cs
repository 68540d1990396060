using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The journal: idempotent appends, per-target order, reading from a global position.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task Append_sameEventTwice_isStoredOnce()
    {
        var (census, target) = (Guid.NewGuid(), Guid.NewGuid());
        var e = Event(census, target, 1);

        Assert.Equal(new AppendResult(1, 0), await Store.AppendAsync([e]));
        Assert.Equal(new AppendResult(0, 1), await Store.AppendAsync([e]));
        // A redelivery with a fresh event id but the same content is still the same event.
        Assert.Equal(new AppendResult(1, 2), await Store.AppendAsync([e with { EventId = Guid.NewGuid() }, e, Event(census, target, 2)]));

        Assert.Equal([1L, 2L], (await Store.ReadTargetAsync(census, target)).Select(x => x.Sequence));
    }

    [Fact]
    public async Task Append_sameKeyOtherPayload_isAConflictAndStoresNothingOfTheBatch()
    {
        var (census, target) = (Guid.NewGuid(), Guid.NewGuid());
        await Store.AppendAsync([Event(census, target, 1, "first")]);

        var error = await Assert.ThrowsAsync<EventConflictException>(() =>
            Store.AppendAsync([Event(census, target, 2), Event(census, target, 1, "second")]));

        Assert.Equal((census, target, 1L), (error.CensusId, error.TargetId, error.Sequence));
        var stored = await Store.ReadTargetAsync(census, target);
        Assert.Single(stored);
        Assert.Equal("first", EventTypeRegistry.Default.Deserialize<ScanStepCompleted>(stored[0]).Failure!.Message);
    }

    [Fact]
    public async Task Append_eventIdReusedForAnotherKey_isAConflict()
    {
        var (census, target) = (Guid.NewGuid(), Guid.NewGuid());
        var e = Event(census, target, 1);
        await Store.AppendAsync([e]);
        await Assert.ThrowsAsync<EventConflictException>(() => Store.AppendAsync([Event(census, target, 2, eventId: e.EventId)]));
    }

    [Fact]
    public async Task ReadTarget_returnsSequenceOrderNotAppendOrder()
    {
        var (census, target, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await Store.AppendAsync([Event(census, target, 3), Event(census, other, 1)]);
        await Store.AppendAsync([Event(census, target, 1), Event(census, target, 2)]);

        var events = await Store.ReadTargetAsync(census, target);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        Assert.Equal([3L], (await Store.ReadTargetAsync(census, target, afterSequence: 2)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Envelope_roundTripsEveryFieldAndThePayload()
    {
        var (census, target) = (Guid.NewGuid(), Guid.NewGuid());
        var report = new DomainReport("example.org", Shared.Model.XmppMode.S2S, ProbeStatus.Failed,
            new Shared.Model.ProbeFailure(Shared.Model.FailureKind.DnsFailure, "NXDOMAIN"), null, []);
        var sent = EventTypeRegistry.Default.Create(new DomainScanCompleted(report),
            new EventOrigin(census, target, "node-7", "ap"), 9, new DateTimeOffset(2026, 11, 21, 11, 22, 33, 444, TimeSpan.Zero));

        await Store.AppendAsync([sent]);
        var read = (await Store.ReadTargetAsync(census, target)).Single();

        Assert.Equal((sent.EventId, sent.CensusId, sent.TargetId, sent.Sequence, sent.NodeId, sent.Region, sent.OccurredAt, sent.Type, sent.SchemaVersion),
            (read.EventId, read.CensusId, read.TargetId, read.Sequence, read.NodeId, read.Region, read.OccurredAt, read.Type, read.SchemaVersion));
        var payload = EventTypeRegistry.Default.Deserialize<DomainScanCompleted>(read);
        Assert.Equal("example.org", payload.Report.Domain);
        Assert.Equal(Shared.Model.FailureKind.DnsFailure, payload.Report.Failure!.Kind);
    }

    [Fact]
    public async Task ReadJournal_fromAPosition_returnsTheRestInCommitOrder()
    {
        var (census, other) = (Guid.NewGuid(), Guid.NewGuid());
        var targets = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        foreach (var t in targets)
        {
            await Store.AppendAsync([Event(census, t, 1), Event(other, t, 1)]);
        }

        var all = await Store.ReadJournalAsync(0, 100, census);
        Assert.Equal(targets, all.Select(e => e.Event.TargetId));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.Item1.Position < p.Item2.Position));

        var rest = await Store.ReadJournalAsync(all[1].Position, 100, census);
        Assert.Equal(targets.Skip(2), rest.Select(e => e.Event.TargetId));
        Assert.Equal(2, (await Store.ReadJournalAsync(all[1].Position, 2, census)).Count);
        Assert.Equal(10, (await Store.ReadJournalAsync(0, 100)).Count);
    }

    [Fact]
    public async Task ReadJournal_whileAppendingConcurrently_neverSkipsAnEvent()
    {
        var census = Guid.NewGuid();
        var writers = Enumerable.Range(0, 4).Select(async w =>
        {
            var store = await OpenAnotherAsync();
            var target = Guid.NewGuid();
            for (var i = 1; i <= 25; i++)
            {
                await store.AppendAsync([Event(census, target, i * 2 - 1), Event(census, target, i * 2)]);
            }
        }).ToList();

        // A reader that keeps its last position, like the aggregator, must see all 200 events exactly once.
        var seen = new List<JournalEntry>();
        var position = 0L;
        var done = Task.WhenAll(writers);
        while (true)
        {
            var finished = done.IsCompleted;
            var page = await Store.ReadJournalAsync(position, 50, census);
            seen.AddRange(page);
            position = page.Count > 0 ? page[^1].Position : position;
            if (finished && page.Count == 0)
            {
                break;
            }
        }

        await done;
        Assert.Equal(200, seen.Count);
        Assert.Equal(200, seen.Select(e => e.Event.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Append_invalidSequence_isRejectedBeforeStoring() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync([Event(Guid.NewGuid(), Guid.NewGuid(), 0)]));
}
