// What a dashboard poll costs on a census of N results: the statistics rebuilt from the whole journal (what
// /api/censuses/{name}/stats did on every request before the coordinator kept one aggregator per census) against the
// coordinator's cached LiveCensus over HTTP, idle and with results arriving between polls.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

var results = args.Length > 1 && args[0] == "--results" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var dir = Directory.CreateTempSubdirectory("xmppscan-dashboard-bench-");
try
{
    await using var store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(dir.FullName, "bench.db"));
    var census = await store.CreateCensusAsync(new CensusDefinition("bench", "{}", Policies.SslLabs, ["eu"]));
    var domains = Enumerable.Range(0, results + 200).Select(i => $"d{i:D6}.example").ToList();
    var targets = (await store.AddTargetsAsync(census.CensusId, domains)).Added.ToDictionary(t => t.Domain, t => t.TargetId);
    var clock = Stopwatch.StartNew();
    var next = 0;
    async Task Append(int count)
    {
        for (var done = 0; done < count; done += 500)
        {
            var batch = new List<EventEnvelope>();
            foreach (var domain in domains.Skip(next).Take(Math.Min(500, count - done)))
            {
                var origin = new EventOrigin(census.CensusId, TargetStreams.For(targets[domain], "eu"), "node-eu", "eu");
                batch.Add(EventTypeRegistry.Default.Create(new DomainScanCompleted(Report(domain, next)), origin, 1, DateTimeOffset.UtcNow));
                batch.Add(EventTypeRegistry.Default.Create(new TargetScanCompleted(domain, ProbeStatus.Completed, null, 1), origin, 2, DateTimeOffset.UtcNow));
                next++;
            }

            await store.Events.AppendAsync(batch);
        }
    }

    await Append(results);
    Console.WriteLine($"census of {results} results appended in {clock.Elapsed.TotalSeconds:0.0} s");

    var rebuilt = await Median(5, async () => await Aggregator.ComputeAsync(store, census, Policies.SslLabs2009r));
    await using var server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), null);
    using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
    var first = await Median(1, () => http.GetStringAsync("/dashboard/fragments/stats?census=bench"));
    var idle = await Median(20, () => http.GetStringAsync("/dashboard/fragments/stats?census=bench"));
    var page = await Median(10, () => http.GetStringAsync("/dashboard?census=bench"));
    var progress = await Median(10, () => store.GetProgressAsync(census.CensusId));
    var fragments = new Dictionary<string, double>();
    foreach (var name in XmppScanCluster.Coordinator.Dashboard.DashboardFragments.Names)
    {
        fragments[name] = await Median(10, () => http.GetStringAsync($"/dashboard/fragments/{name}?census=bench"));
    }

    var aggregator = new Aggregator(store, census.CensusId);
    await aggregator.CatchUpAsync();
    aggregator.Statistics(Policies.SslLabs2009r);
    var compute = await Median(5, () => Task.FromResult(aggregator.Statistics(Policies.SslLabs2009r)));
    var api = await Median(10, () => http.GetStringAsync("/api/censuses/bench/stats"));
    // Polled right after the results arrived: the throttle may serve the previous statistics; 2 s later (the page's
    // poll interval) they are recomputed.
    var arriving = await Median(10, () => http.GetStringAsync("/dashboard/fragments/stats?census=bench"), exclude: () => Append(10));
    var arrivingPolled = await Median(5, () => http.GetStringAsync("/dashboard/fragments/stats?census=bench"),
        exclude: async () => { await Append(10); await Task.Delay(2000); });

    Console.WriteLine($"""
        | {results} results (SQLite)                                   | median ms |
        | --- | ---: |
        | statistics rebuilt from the whole journal (old /stats)        | {rebuilt,9:0.0} |
        | stats fragment, first request (cache filled)                  | {first,9:0.0} |
        | stats fragment, nothing new (cached)                          | {idle,9:0.0} |
        | stats fragment, 10 results arrived just now (throttled)       | {arriving,9:0.0} |
        | stats fragment, 10 results arrived, polled 2 s later          | {arrivingPolled,9:0.0} |
        | whole /dashboard page (6 fragments), nothing new              | {page,9:0.0} |
        | /api/censuses/bench/stats, nothing new                        | {api,9:0.0} |
        | of which: StatisticsCalculator over graded results (no grading) | {compute,9:0.0} |
        | of which: store.GetProgressAsync                              | {progress,9:0.0} |
        | fragments, nothing new: {string.Join(", ", fragments.Select(f => $"{f.Key} {f.Value:0.0}"))} | |
        """);
}
finally
{
    dir.Delete(recursive: true);
}

// Median wall time of `runs` calls in milliseconds; `exclude` runs before each call, untimed.
static async Task<double> Median<T>(int runs, Func<Task<T>> call, Func<Task>? exclude = null)
{
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        if (exclude is not null) await exclude();
        var clock = Stopwatch.StartNew();
        await call();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times[times.Count / 2];
}

// One STARTTLS endpoint with a certificate, TLS 1.2/1.3 and one suite: what the census session step records.
static DomainReport Report(string domain, int i)
{
    var leaf = $"leaf-{i}";
    var cert = new CertificateFacts(Sha256: leaf, SpkiSha256: $"spki-{i % 97}", Subject: "CN=" + domain, Issuer: $"CN=CA {i % 13}", CommonName: domain, SerialNumber: "01", NotBefore: DateTimeOffset.UnixEpoch,
        NotAfter: DateTimeOffset.MaxValue, KeyAlgorithm: KeyAlgorithm.Rsa, KeyBits: 2048, Curve: null, RsaExponent: null, SignatureAlgorithm: "sha256WithRSAEncryption", SignatureHash: "sha256", IsCa: false, PathLength: null, KeyUsage: [], ExtendedKeyUsage: [], SubjectAltNames: [], OcspUrls: [], CaIssuerUrls: [], CrlUrls: [], IsSelfSigned: false);
    var suite = new AcceptedSuite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519");
    var assessment = new TlsAssessmentReport(Status: ProbeStatus.Completed, Failure: null, HelloProfile: "full", FullHelloFailure: null,
        Protocols: [.. new[] { "TLSv1.2", "TLSv1.3" }.Select(p => new ProtocolAssessment(Protocol: p, Supported: true, SuiteOrder: NegotiationOrder.Server, Suites: [suite], Ssl2CipherKinds: [], Refusal: null, CandidatesTested: 1, Connections: 1, ServerHelloHex: null, Errors: []))],
        KeyExchange: new KeyExchangeFacts([], null, [], NegotiationOrder.Server, [], NegotiationOrder.Server), SignatureAlgorithms: null, Connections: new ConnectionCounts(1, 1, []));
    var features = new XmppFeatures(i % 3 == 0 ? StartTlsSupport.Offered : StartTlsSupport.Required, [], [], false, false, []);
    var endpoint = new EndpointReport(Target: "xmpp." + domain, Address: "192.0.2.1", Port: 5222, Transport: TlsTransport.StartTls, Priority: 0, Weight: 0, Source: EndpointSource.Srv, Status: ProbeStatus.Completed, Failure: null,
        Xmpp: new XmppStreamFacts(StreamId: "id", From: domain, Version: "1.0", PreTlsFeatures: features, PostTlsFeatures: null, StreamError: null, StreamRestartAfterTlsWorked: true, PeerCertificateRequired: null),
        Tls: new TlsSessionReport("TLSv1.3", new CipherSuiteName(suite.Code, suite.Name), null),
        Certificate: new CertificateReport([cert], new TrustVerdict(i % 5 != 0, i % 5 == 0 ? [new TrustIssue(TrustProblem.Expired, "expired", 0)] : [], [], null),
            new IdentityMatch(true, IdentityMatchKind.DnsId, null, domain, [], false), []), ElapsedMs: 1, Assessment: assessment);
    return new DomainReport(domain, XmppMode.C2S, ProbeStatus.Completed, null, null, [endpoint]);
}
