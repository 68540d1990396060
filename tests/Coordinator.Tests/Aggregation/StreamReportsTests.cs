using System.Text.Json;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

/// <summary>A target's <c>domain_scan_completed</c> is stored without its endpoints (they are its stream's endpoint
/// events); whoever reads the census gets the report whole: the aggregator following the streams, and a reader that
/// met the stream late or with a gap, which reads it from the journal.</summary>
public sealed class StreamReportsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-stream-reports-").FullName;
    private readonly Guid _stream = Guid.NewGuid();
    private ICensusStore _store = null!;
    private CensusInfo _census = null!;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "s.db"));
        _census = await _store.CreateCensusAsync(new CensusDefinition("streams", "{}", Policies.SslLabs, ["eu"]));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The two endpoints' session reports, as the session step recorded them.</summary>
    private static readonly EndpointReport[] Sessions =
        [Endpoint("leaf-a", address: "192.0.2.10"), Endpoint("leaf-b", address: "192.0.2.11", trust: [Shared.Certificates.TrustProblem.Expired])];

    /// <summary>A target stream as a target actor writes it: decided and evolved by the census's state machine.</summary>
    private async Task<IReadOnlyList<CensusLogEntry>> WriteTargetAsync()
    {
        ITargetCommand[] commands =
        [
            new StartTargetScan(_stream, "example.org", [XmppMode.C2S], ["session"]),
            new RecordStepResult(new StepKey("discover", XmppMode.C2S, null), StepStatus.Completed, null, 1,
            [
                .. Sessions.Select(s => new EndpointDiscovered("example.org", XmppMode.C2S, TlsTransport.StartTls, s.Target, s.Address,
                    s.Port, 0, 0, EndpointSource.Srv)),
                new DiscoveryCompleted("example.org", XmppMode.C2S, new(Srv: [], ServiceDisabled: false, AddressFallback: false,
                    SrvDnssec: Shared.Dns.DnssecStatus.Insecure, Problems: []), 2),
            ]),
            .. Sessions.Select((s, i) => new RecordStepResult(new StepKey("session", XmppMode.C2S, i), StepStatus.Completed, null, 1,
                [new EndpointSessionObserved(XmppMode.C2S, i, s)])),
        ];
        var state = TargetState.Empty;
        var events = new List<IEventData>();
        foreach (var command in commands)
        {
            foreach (var e in TargetStateMachine.Decide(state, command))
            {
                events.Add(e);
                state = TargetStateMachine.Evolve(state, e, state.LastSequence + 1);
            }
        }

        await _store.Events.AppendAsync(_census.CensusId, _stream, 0, events, "eu", "n", DateTimeOffset.UtcNow);
        return await _store.Events.ReadStreamAsync(_census.CensusId, _stream);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, ResultJson.Options.GetTypeInfo(value.GetType()));

    [Fact]
    public async Task StoredReport_omitsTheEndpoints_andTheAggregatorReadsItWhole()
    {
        var stream = await WriteTargetAsync();
        var stored = Assert.Single(stream.Select(e => e.Event).OfType<DomainScanCompleted>());
        Assert.True(stored.EndpointsInStream);
        Assert.Empty(stored.Report.Endpoints);

        var aggregator = new Aggregator(_store, _census.CensusId);
        Assert.Equal(1, await aggregator.CatchUpAsync());

        var result = Assert.Single(aggregator.Results(Policies.SslLabs2009r));
        Assert.Equal(Sessions.Select(Json), result.Report.Endpoints.Select(Json));
        Assert.Equal(ProbeStatus.Completed, result.Report.Status);
        Assert.Equal("T", result.Grade!.Grade); // the expired leaf of the second endpoint: graded from the whole report
    }

    [Fact]
    public async Task StreamMetLate_isReadFromTheJournal()
    {
        var stream = await WriteTargetAsync();
        var reader = new StreamReports(_store.Events, _census.CensusId);

        // As after a snapshot: the reader's first entry of this stream is its domain_scan_completed.
        var report = await reader.ApplyAsync(stream.Single(e => e.Event is DomainScanCompleted));

        Assert.Equal(Sessions.Select(Json), report!.Endpoints.Select(Json));
    }

    [Fact]
    public async Task StreamWithAGap_isReadFromTheJournal_andACompletedTargetIsNotKept()
    {
        var stream = await WriteTargetAsync();
        var reader = new StreamReports(_store.Events, _census.CensusId);
        var firstSession = stream.First(e => e.Event is EndpointSessionObserved);

        DomainReport? report = null;
        foreach (var entry in stream.Where(e => e != firstSession))
        {
            report ??= await reader.ApplyAsync(entry);
            Assert.True(entry.SequenceNr < firstSession.SequenceNr || reader.Following == 0);
        }

        Assert.Equal(Sessions.Select(Json), report!.Endpoints.Select(Json));

        var whole = new StreamReports(_store.Events, _census.CensusId);
        foreach (var entry in stream)
        {
            await whole.ApplyAsync(entry);
        }

        Assert.Equal(0, whole.Following);
    }
}
