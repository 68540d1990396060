using System.Text.Json;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// Issue 14, part 2: the vulnerability probes and the client simulation of a verified TLS service. Each probe's result
/// is run once and reused by the service's other endpoints as far as the probe declares it reaches
/// (<see cref="IVulnerabilityCheck.Sharing"/>: the service, the listening socket, the socket and the certificates, never), the
/// simulation once per ALPN; the findings and grades equal <c>--no-sharing</c>'s, and an endpoint whose verification
/// differed takes nothing from the service it differed from. Without the feature every endpoint runs its own probes and
/// the "one runner per group" checks fail; with sharing too wide a reused result names an endpoint outside its group.
/// </summary>
public sealed partial class AssessmentSharingTests
{
    [Fact]
    public async Task TestbedServer_probesAndClientSimulation_sharedAsFarAsEachReaches_sameFindingsAndGrades_inJsonTextAndHtml()
    {
        var env = SharedTestbed.EnsureUp();
        const string domain = "intermediate.test";
        string[] common = ["--mode", "both", "--dns", env["TESTBED_DNS"], "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust"];
        var dir = Directory.CreateTempSubdirectory("xmppscan-sharing-probes-");
        try
        {
            var html = Path.Combine(dir.FullName, "report.html");
            var (shared, text) = await ScanAsync(dir, [.. common, "--html", html, "--width", "200", domain]);
            var (alone, _) = await ScanAsync(dir, [.. common, "--no-sharing", domain]);

            var endpoints = Endpoints(shared).Select(x => x.Endpoint).ToList();
            Assert.Equal(4, endpoints.Count);
            AssertSharedAsDeclared(shared);
            // One Prosody, one configuration on four ports: each service-wide probe that found something ran on one
            // endpoint and the three others took its result; a probe bound to the listener or the endpoint ran on each port.
            var serviceWide = VulnerabilityChecks.All.Where(c => c.Sharing == ProbeSharing.Service
                && endpoints.Any(e => e.Vulnerabilities!.Probe(c.Id) is { Status: ProbeStatus.Completed })).ToList();
            Assert.NotEmpty(serviceWide);
            Assert.All(serviceWide, c => Assert.Equal(3, endpoints.Count(e => e.Vulnerabilities!.Probe(c.Id)!.ReusedFrom is not null)));
            Assert.All(VulnerabilityChecks.All.Where(c => c.Sharing is ProbeSharing.Listener or ProbeSharing.ListenerAndCertificate or ProbeSharing.Endpoint),
                c => Assert.All(endpoints, e => Assert.Null(e.Vulnerabilities!.Probe(c.Id)?.ReusedFrom)));
            // The STARTTLS ports offer no ALPN: one simulation for both; each direct-TLS port offers its own (XEP-0368).
            Assert.Single(endpoints, e => e.ClientSimulation!.ReusedFrom is not null && e.Transport == TlsTransport.StartTls);
            Assert.All(endpoints.Where(e => e.Transport == TlsTransport.DirectTls), e => Assert.Null(e.ClientSimulation!.ReusedFrom));

            static int FollowUps(ScanReport r) => Endpoints(r).Sum(x => x.Endpoint.Vulnerabilities!.Connections + x.Endpoint.ClientSimulation!.Connections);
            Assert.True(FollowUps(shared) < FollowUps(alone), $"probes and clients: {FollowUps(shared)} connections shared, {FollowUps(alone)} alone");
            AssertSameFindings(shared, alone);
            AssertSameFactsAndGrades(shared, alone);

            var source = endpoints.Select(e => e.Vulnerabilities!.Probe(serviceWide[0].Id)!.ReusedFrom).First(r => r is not null)!;
            var clientSource = endpoints.Select(e => e.ClientSimulation!.ReusedFrom).First(r => r is not null)!;
            Assert.Contains($"Shared    reused from {source} (same TLS service): ", text, StringComparison.Ordinal);
            Assert.Contains($"Shared    reused from {clientSource} (same TLS service, same ALPN)", text, StringComparison.Ordinal);
            Assert.Contains($"<p class=\"shared\">reused from {source} (same TLS service): ", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PortWithOtherSettings_takesNoProbeOfTheServiceItDiffersFrom_domainsShareProbesPerPort_inScanAndCensus_andCensusNoSharing()
    {
        var bench = Path.Combine(RepoPaths.Root, "bench", "federation");
        var dir = Directory.CreateTempSubdirectory("xmppscan-sharing-fed-probes-");
        try
        {
            // Three domains on one address (NET.243.1), its direct-TLS c2s port serving legacy (static RSA too: ROBOT runs
            // there), its STARTTLS port modern; one certificate for *.fed.test.
            var up = ScriptRunner.Run(Path.Combine(bench, "up.sh"), null, TimeSpan.FromMinutes(10), dir.FullName,
                "--domains", "3", "--addresses", "1", "--seed", "14", "--base", "243", "--workers", "1",
                "--port-profile", "c2s-directtls=legacy");
            Assert.True(up.ExitCode == 0, up.Output);
            try
            {
                var fed = File.ReadAllLines(Path.Combine(dir.FullName, "federation.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                using var plan = JsonDocument.Parse(await File.ReadAllTextAsync(fed["FED_PLAN"]));
                var domains = plan.RootElement.GetProperty("servers")[0].GetProperty("domains").EnumerateArray().Select(d => d.GetString()!)
                    .Order(StringComparer.Ordinal).ToArray();
                Assert.Equal(3, domains.Length);
                string[] common = ["--mode", "c2s", "--dns", fed["FED_DNS"], "--trust-anchors", fed["FED_CA"], "--no-system-trust"];
                var (shared, _) = await ScanAsync(dir, [.. common, .. domains]);
                var (alone, _) = await ScanAsync(dir, [.. common, "--no-sharing", .. domains]);

                AssertSharedAsDeclared(shared);
                var first = domains[0];
                var odd = Find(shared, XmppMode.C2S, 5223, first);
                Assert.False(odd.Assessment!.Sharing!.Verified);
                // Scanned first on its own service: it ran every probe and the simulation itself.
                Assert.All(VulnerabilityChecks.All, c => Assert.Null(odd.Vulnerabilities!.Probe(c.Id)?.ReusedFrom));
                Assert.Null(odd.ClientSimulation!.ReusedFrom);
                foreach (var domain in domains.Skip(1))
                {
                    foreach (var port in (int[])[5222, 5223])
                    {
                        var e = Find(shared, XmppMode.C2S, port, domain);
                        var from = new SharedSource(first, XmppMode.C2S, port == 5223 ? TlsTransport.DirectTls : TlsTransport.StartTls, e.Address, port);
                        // The service's and the listener's probes come from the same port of the first domain (one certificate
                        // for *.fed.test, so ROBOT's too); the resumption stays the endpoint's own.
                        foreach (var check in VulnerabilityChecks.All.Where(c => c.Sharing != ProbeSharing.Endpoint))
                        {
                            if (Find(shared, XmppMode.C2S, port, first).Vulnerabilities!.Probe(check.Id) is { Status: ProbeStatus.Completed })
                            {
                                Assert.Equal(from, e.Vulnerabilities!.Probe(check.Id)!.ReusedFrom);
                            }
                        }

                        Assert.Equal(from, e.ClientSimulation!.ReusedFrom);
                        Assert.True(e.Vulnerabilities!.Connections < Find(alone, XmppMode.C2S, port, domain).Vulnerabilities!.Connections, $"{domain}:{port}");
                    }
                }

                // The federation's server answers a client's renegotiation with OpenSSL's no_renegotiation alert; it used to
                // hold that alert in its memory BIO, and the probe waited out its read timeout for an answer never sent.
                Assert.All(Endpoints(shared), x => Assert.Equal("Refused no_renegotiation",
                    x.Endpoint.Vulnerabilities!.Facts<ClientRenegotiationFacts>(ClientRenegotiationCheck.Key) is { } f ? $"{f.Outcome} {f.Alert}" : "not completed"));
                Assert.True(Find(shared, XmppMode.C2S, 5223, domains[1]).Vulnerabilities!.Probe(RobotCheck.Key) is { ReusedFrom: not null },
                    "ROBOT was not shared on the legacy port");
                AssertSameFindings(shared, alone);
                AssertSameFactsAndGrades(shared, alone);

                // The census composes the same steps (its targets at once: which endpoint runs what is theirs to race for),
                // and --no-sharing turns all of it off on every node (the setting is stored with the census).
                var targets = Path.Combine(dir.FullName, "targets.txt");
                await File.WriteAllLinesAsync(targets, domains);
                foreach (var sharing in (bool[])[true, false])
                {
                    var db = "sqlite:" + Path.Combine(dir.FullName, $"census-{sharing}.db");
                    var census = await RunCliAsync(["census", "--targets", targets, "--store", db, "--depth", "full", "--spacing", "0",
                        "--log", Path.Combine(dir.FullName, $"node-{sharing}.log"), .. common, .. sharing ? Array.Empty<string>() : ["--no-sharing"]]);
                    Assert.True(census.Code == 0, census.Err + census.Out);
                    Assert.Equal(!sharing, census.Out.Contains(", no sharing", StringComparison.Ordinal));
                    await using var store = await StoreFactory.OpenAsync(db);
                    var stored = await CensusDepthTests.ReportsAsync(store, (await store.ListCensusesAsync()).Single().CensusId);
                    var report = alone with { Domains = [.. domains.Select(d => stored[d])] };
                    var all = Endpoints(report).Select(x => x.Endpoint).ToList();
                    var reused = all.Sum(e => VulnerabilityChecks.All.Count(c => e.Vulnerabilities!.Probe(c.Id)?.ReusedFrom is not null)
                        + (e.ClientSimulation!.ReusedFrom is null ? 0 : 1));
                    if (sharing)
                    {
                        AssertSharedAsDeclared(report);
                        Assert.True(reused > 0, "the census shared nothing");
                    }
                    else
                    {
                        Assert.Equal(0, reused);
                        Assert.All(all, e => Assert.Null(e.Assessment!.Sharing));
                    }

                    AssertSameFindings(report, alone);
                    AssertSameFactsAndGrades(report, alone);
                }
            }
            finally
            {
                ScriptRunner.Run(Path.Combine(bench, "down.sh"), null, TimeSpan.FromMinutes(1), dir.FullName);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every reused result names an endpoint of its own group — the same verified service and, as the probe declares, the
    /// same port or the same certificates (the simulation: the same ALPN) — that ran it itself and found the same facts,
    /// and each group whose probe found something ran it on exactly one endpoint.
    /// </summary>
    private static void AssertSharedAsDeclared(ScanReport report)
    {
        var all = report.Domains.SelectMany(d => d.Endpoints.Select(e =>
            (Self: new SharedSource(d.Domain, d.Mode, e.Transport, e.Address, e.Port), Endpoint: e))).ToList();
        static SharedSource Service((SharedSource Self, EndpointReport Endpoint) x) =>
            x.Endpoint.Assessment?.Sharing is { Verified: true } s ? s.Source : x.Self;
        static string Scope(ProbeSharing sharing, (SharedSource Self, EndpointReport Endpoint) x) => sharing switch
        {
            ProbeSharing.Service => "service",
            ProbeSharing.Listener => "port " + x.Self.Port,
            ProbeSharing.ListenerAndCertificate when Leaves(x.Endpoint) is { Length: > 0 } leaves => $"port {x.Self.Port} {leaves}",
            _ => x.Self.ToString(),
        };

        foreach (var check in VulnerabilityChecks.All)
        {
            foreach (var group in all.Where(x => x.Endpoint.Vulnerabilities?.Probe(check.Id) is not null).GroupBy(x => (Service(x), Scope(check.Sharing, x))))
            {
                AssertOneRunner($"{check.Id} {group.Key}", [.. group.Select(x => (x.Self, x.Endpoint.Vulnerabilities!.Probe(check.Id)!.ReusedFrom,
                    x.Endpoint.Vulnerabilities!.Probe(check.Id)!.Status == ProbeStatus.Completed,
                    x.Endpoint.Vulnerabilities!.Probe(check.Id)!.Connections,
                    JsonSerializer.Serialize(x.Endpoint.Vulnerabilities!.Probe(check.Id)!.Facts)))]);
            }
        }

        foreach (var group in all.Where(x => x.Endpoint.ClientSimulation is not null)
                     .GroupBy(x => (Service(x), Scope(ClientSimulator.Sharing, x), x.Self.Transport == TlsTransport.DirectTls ? x.Self.Mode.ToString() : "")))
        {
            AssertOneRunner($"client_simulation {group.Key}", [.. group.Select(x => (x.Self, x.Endpoint.ClientSimulation!.ReusedFrom,
                x.Endpoint.ClientSimulation!.Clients.All(c => c.Outcome != SimulationOutcome.Inconclusive),
                x.Endpoint.ClientSimulation!.Connections,
                JsonSerializer.Serialize(x.Endpoint.ClientSimulation!.Clients, Json)))]);
        }
    }

    private static void AssertOneRunner(string group, IReadOnlyList<(SharedSource Self, SharedSource? ReusedFrom, bool Found, int Connections, string Facts)> members)
    {
        var runners = members.Where(m => m.ReusedFrom is null && m.Found).ToList();
        foreach (var m in members.Where(m => m.ReusedFrom is not null))
        {
            var runner = runners.Where(r => r.Self == m.ReusedFrom).ToList();
            Assert.True(runner.Count == 1, $"{group}: {m.Self} reused the result of {m.ReusedFrom}, which is not an endpoint of its group that ran it");
            Assert.Equal(runner[0].Facts, m.Facts);
            Assert.Equal(0, m.Connections);
        }

        Assert.True(runners.Count <= 1, $"{group}: run on {runners.Count} endpoints of one group ({string.Join(", ", runners.Select(r => r.Self))})");
    }

    /// <summary>Every leaf the endpoint's handshakes received (as the sharing keys a certificate probe).</summary>
    private static string Leaves(EndpointReport e) => string.Join(',', new[] { e.Assessment?.ChainSha256?.FirstOrDefault(), e.Certificate?.Chain.FirstOrDefault()?.Sha256 }
        .Concat(e.Certificate?.KeyTypeChains?.Select(k => k.ChainSha256.FirstOrDefault()) ?? [])
        .OfType<string>().Distinct().Order(StringComparer.Ordinal));

    /// <summary>Every probe's verdict, every derived weakness and every client's outcome as on the endpoint scanned on its own.</summary>
    private static void AssertSameFindings(ScanReport shared, ScanReport alone)
    {
        foreach (var (domain, mode, e) in shared.Domains.SelectMany(d => d.Endpoints.Select(e => (d.Domain, d.Mode, e))))
        {
            var truth = Find(alone, mode, e.Port, domain);
            var where = $"{domain} {mode} {e.Port}";
            Assert.True(truth.Vulnerabilities is not null && e.Vulnerabilities is not null, where);
            Assert.Equal(VulnerabilitySectionRows(truth), VulnerabilitySectionRows(e));
            Assert.Equal(JsonSerializer.Serialize(truth.ClientSimulation!.Clients, Json), JsonSerializer.Serialize(e.ClientSimulation!.Clients, Json));
        }

        static IEnumerable<string> VulnerabilitySectionRows(EndpointReport e) =>
            VulnerabilitySection.Rows(e.Vulnerabilities!, e.Assessment?.KeyExchange.DhGroups).Select(r => $"{r.Check}: {r.Verdict}");
    }
}
