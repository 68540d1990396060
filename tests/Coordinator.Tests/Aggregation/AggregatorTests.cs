using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

/// <summary>A long-lived aggregator (the coordinator's) grades each result once per policy, and again only when a newer
/// result replaced it; its observer sees every journal entry read.</summary>
public sealed class AggregatorTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-aggregator-").FullName;
    private ICensusStore _store = null!;
    private CensusInfo _census = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "a.db"));
        _census = await _store.CreateCensusAsync(new CensusDefinition("agg", "{}", Policies.SslLabs, ["eu"]));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class CountingPolicy(IGradingPolicy inner) : IGradingPolicy
    {
        public int Calls;

        public string Name => inner.Name;

        public int Version => inner.Version;

        public GradeResult Grade(GradingInput input)
        {
            Interlocked.Increment(ref Calls);
            return inner.Grade(input);
        }
    }

    private async Task Append(DomainReport report, int sequence)
    {
        var origin = new EventOrigin(_census.CensusId, Guid.NewGuid(), "n", "eu");
        await _store.AppendAsync([EventTypeRegistry.Default.Create(new DomainScanCompleted(report), origin, sequence, DateTimeOffset.UtcNow)]);
    }

    [Fact]
    public async Task Results_gradeEachResultOncePerPolicy_andARescanOnlyItself()
    {
        await Append(Domain("a.example", Endpoint("leaf-a")), 1);
        await Append(Domain("b.example", Endpoint("leaf-b")), 1);
        var aggregator = new Aggregator(_store, _census.CensusId);
        var seen = new List<string>();
        Assert.Equal(2, await aggregator.CatchUpAsync((entry, report) => seen.Add(report?.Domain ?? entry.Type), CancellationToken.None));
        Assert.Equal(["a.example", "b.example"], seen);

        var policy = new CountingPolicy(Policies.SslLabs2009r);
        Assert.Equal(["A", "A"], aggregator.Results(policy).Select(r => r.Grade!.Grade));
        aggregator.Statistics(policy);
        Assert.Equal(2, policy.Calls);

        await Append(Domain("a.example", Endpoint("leaf-a", trust: [Shared.Certificates.TrustProblem.Expired])), 1);
        Assert.Equal(1, await aggregator.CatchUpAsync());
        Assert.Equal(["T", "A"], aggregator.Results(policy).Select(r => r.Grade!.Grade));
        Assert.Equal(3, policy.Calls);
    }

    [Fact]
    public async Task ManyResults_snapshotTheProjection_andANewAggregatorReadsOnlyWhatCameAfter()
    {
        var reports = Enumerable.Range(0, AggregatorSnapshot.Every).Select(i => Domain($"d{i:D4}.example", Endpoint("leaf"))).ToList();
        await _store.Events.AppendAsync(_census.CensusId, Guid.NewGuid(), 0, [.. reports.Select(r => new DomainScanCompleted(r))], "eu",
            "n", DateTimeOffset.UtcNow);
        var first = new Aggregator(_store, _census.CensusId);
        Assert.Equal(AggregatorSnapshot.Every, await first.CatchUpAsync());
        var snapshot = await _store.Events.LoadSnapshotAsync(AggregatorSnapshot.PersistenceId(_census.CensusId));
        Assert.Equal(first.Position, snapshot?.SequenceNr);

        await Append(Domain("late.example", Endpoint("leaf-late", trust: [Shared.Certificates.TrustProblem.Expired])), 1);
        var second = new Aggregator(_store, _census.CensusId);

        Assert.Equal(1, await second.CatchUpAsync()); // the snapshot's results were not read again
        var results = second.Results(Policies.SslLabs2009r);
        Assert.Equal(AggregatorSnapshot.Every + 1, results.Count);
        Assert.Equal(first.Results(Policies.SslLabs2009r).Select(r => (r.Region, r.Report.Domain, r.Grade?.Grade)),
            results.Where(r => r.Report.Domain != "late.example").Select(r => (r.Region, r.Report.Domain, r.Grade?.Grade)));
        Assert.Equal("T", results.Single(r => r.Report.Domain == "late.example").Grade!.Grade);
    }
}
