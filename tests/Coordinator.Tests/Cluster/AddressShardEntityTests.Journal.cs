using Akka.Cluster.Sharding;
using Akka.TestKit;
using Microsoft.Data.Sqlite;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The census's journal failing under the targets (a SQLite journal behind at 200 targets in flight gave up 509
/// of 5,000 targets as "scanner error" in bench/federation): the journal is made to fail for real, by another connection
/// holding the events file's write lock, and nothing about the servers may be recorded from it.</summary>
public sealed partial class AddressShardEntityTests
{
    [Fact]
    public async Task JournalWritesFailing_areNotCountedAgainstTheTargets_theyAreRetriedAfterAPause_andRecordedDone()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example");
        var log = new StringWriter();
        var syncLog = TextWriter.Synchronized(log);
        // One error per target would give a target up (recorded failed): a journal failure must not count as one.
        StartEntity(shard, Sys.ActorOf(TargetSlots.Props(1)), maxTargetErrors: 1, log: syncLog);
        await _discover.Entered.WaitAsync(Wait); // a.example's start is in the journal: the journal is up

        // Not pooled: a pooled connection "closed" with its transaction open would keep the lock after the block.
        await using (var writer = new SqliteConnection($"Data Source={CensusPersistence.SqliteEventsPath(_store.Location.Target)};Pooling=False"))
        {
            await writer.OpenAsync();
            await using (var begin = writer.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE"; // the write lock: every other writer of the file gets SQLITE_BUSY
                await begin.ExecuteNonQueryAsync();
            }

            _discover.Open();
            // a.example's discovery result cannot be written; then b.example, in the slot a.example gave back, cannot
            // write its start. Each waits for a retry on the virtual clock.
            await WaitForAsync(() => Lines(syncLog, log).Count(l => l.Contains("the journal failed", StringComparison.Ordinal)) >= 2);
            await using var rollback = writer.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var failedLines = Lines(syncLog, log).Where(l => l.Contains("the journal failed", StringComparison.Ordinal)).ToList();
        Assert.Contains(failedLines, l => l.StartsWith("a.example", StringComparison.Ordinal) || l.Contains(" a.example:", StringComparison.Ordinal));
        Assert.Contains(failedLines, l => l.Contains("retried in 5 s", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(syncLog, log), l => l.Contains("given up", StringComparison.Ordinal));
        Assert.Equal(2, Assert.Single(await _store.GetProgressAsync(census)).TargetsRemaining);

        ((TestScheduler)Sys.Scheduler).Advance(AddressShardEntity.JournalRetryAfter(1));
        ExpectMsg<Passivate>(Wait);
        var progress = Assert.Single(await _store.GetProgressAsync(census));
        Assert.Equal((2, 0, 0), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
        var journal = await _store.ReadAllAsync(census);
        Assert.Equal(2, journal.Count(e => e.Type == TargetScanCompleted.TypeName));
    }

    [Fact]
    public void JournalRetryPause_doublesFrom5sTo2min()
    {
        Assert.Equal([5, 10, 20, 40, 80, 120, 120], Enumerable.Range(1, 7).Select(n => AddressShardEntity.JournalRetryAfter(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(2), AddressShardEntity.JournalRetryAfter(1000));
    }

    private static string[] Lines(TextWriter sync, StringWriter log)
    {
        lock (sync)
        {
            return log.ToString().Split('\n');
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // A liveness bound (the journal's write timeout is real time), never a decision on how long it took.
        for (var i = 0; !condition(); i++)
        {
            Assert.True(i < 1200, "the entity never reported the failing journal");
            await Task.Delay(100);
        }
    }
}
