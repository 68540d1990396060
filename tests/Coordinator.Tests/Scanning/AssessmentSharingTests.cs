using System.Text.Json;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// Issue 14, assessment sharing, through the real <c>xmppscan scan</c>: each test scans the same domains twice, with
/// sharing (the default) and with <c>--no-sharing</c> (every endpoint assessed in full, the truth to compare with).
/// A Prosody of the testbed serves one TLS configuration on its four ports: the first endpoint gets the full
/// enumeration, the three others are verified by a few hellos and carry the very same facts and grades. The simulated
/// federation's server (real OpenSSL) hosts three domains on one address and serves more suites on one c2s port than on
/// the other (either way round): the direct-TLS port's verification differs and it is assessed in full on its own; the other domains' endpoints share
/// per port, in the census too (the same step, its targets at once). Without sharing no report names a source, so every
/// test fails.
/// </summary>
public sealed partial class AssessmentSharingTests
{
    private static readonly JsonSerializerOptions Json = ResultJson.Options;

    [Fact]
    public async Task TestbedServer_itsFourPortsShareOneFullAssessment_verifiedByHellos_sameFactsAndGrades_inJsonTextAndHtml()
    {
        var env = SharedTestbed.EnsureUp();
        const string domain = "intermediate.test";
        string[] common = ["--mode", "both", "--dns", env["TESTBED_DNS"], "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust",
            "--skip", "vulnerabilities,clients"];
        var dir = Directory.CreateTempSubdirectory("xmppscan-sharing-");
        try
        {
            var html = Path.Combine(dir.FullName, "report.html");
            var (shared, text) = await ScanAsync(dir, [.. common, "--html", html, "--width", "200", domain]);
            var (alone, _) = await ScanAsync(dir, [.. common, "--no-sharing", domain]);

            var endpoints = Endpoints(shared).ToList();
            Assert.Equal(4, endpoints.Count);
            var full = Assert.Single(endpoints, e => e.Endpoint.Assessment!.Sharing is null);
            Assert.Equal((XmppMode.C2S, 5222), (full.Mode, full.Endpoint.Port));
            var source = new SharedSource(domain, XmppMode.C2S, TlsTransport.StartTls, full.Endpoint.Address, 5222);
            foreach (var (mode, e) in endpoints.Where(e => e.Endpoint.Assessment!.Sharing is not null))
            {
                var where = $"{mode} {e.Port}";
                var sharing = e.Assessment!.Sharing!;
                Assert.True(sharing.Verified, $"{where}: {Describe(sharing)}");
                Assert.Equal(source, sharing.Source);
                Assert.InRange(sharing.Hellos.Count, 3, 12);
                Assert.All(sharing.Hellos, h => Assert.True(h.Match && h.Expected == h.Answered, $"{where}: {h}"));
                // Its own connections: the hellos, nothing else; far fewer than its full assessment.
                Assert.Equal(sharing.Hellos.Count, e.Assessment.Connections.Total);
                Assert.True(e.Assessment.Connections.Total * 2 < Find(alone, mode, e.Port).Assessment!.Connections.Total, where);
                Assert.Contains($"Shared    assessed with {source} (verified by {sharing.Hellos.Count} hellos)", text, StringComparison.Ordinal);
            }

            AssertSameFactsAndGrades(shared, alone);
            Assert.Contains($"assessed with {source} (verified by ", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <param name="oddPort">The port kind that serves intermediate instead of the server's modern profile.</param>
    /// <param name="directHasDhe">The direct-TLS port has the DHE suites the STARTTLS port lacks (a superset), or lacks the
    /// ones it has (a subset: Prosody 0.12's direct-TLS port without its own dhparam).</param>
    [Theory]
    [InlineData("c2s-directtls", true)]
    [InlineData("c2s-starttls", false)]
    public async Task PortWithOtherSettings_verificationDiffers_assessedInFullOnItsOwn_domainsOnOneAddressSharePerPort(string oddPort, bool directHasDhe)
    {
        var bench = Path.Combine(RepoPaths.Root, "bench", "federation");
        var dir = Directory.CreateTempSubdirectory("xmppscan-sharing-fed-");
        try
        {
            // Three domains on one address (NET.242.1); the server's own profile is modern (client order, ECDHE only), one
            // of its c2s ports serves intermediate (DHE suites too).
            var up = ScriptRunner.Run(Path.Combine(bench, "up.sh"), null, TimeSpan.FromMinutes(10), dir.FullName,
                "--domains", "3", "--addresses", "1", "--seed", "14", "--base", "242", "--workers", "1",
                "--port-profile", oddPort + "=intermediate");
            Assert.True(up.ExitCode == 0, up.Output);
            try
            {
                var fed = File.ReadAllLines(Path.Combine(dir.FullName, "federation.env")).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                using var plan = JsonDocument.Parse(await File.ReadAllTextAsync(fed["FED_PLAN"]));
                var server = plan.RootElement.GetProperty("servers")[0];
                Assert.Equal("modern", server.GetProperty("profile").GetString());
                var domains = server.GetProperty("domains").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray();
                Assert.Equal(3, domains.Length);
                string[] common = ["--mode", "c2s", "--dns", fed["FED_DNS"], "--trust-anchors", fed["FED_CA"], "--no-system-trust",
                    "--skip", "vulnerabilities,clients", "--width", "200"];
                var (shared, text) = await ScanAsync(dir, [.. common, .. domains]);
                var (alone, _) = await ScanAsync(dir, [.. common, "--no-sharing", .. domains]);

                var first = domains[0];
                var starttls = Find(shared, XmppMode.C2S, 5222, first);
                var direct = Find(shared, XmppMode.C2S, 5223, first);
                Assert.Null(starttls.Assessment!.Sharing);
                var address = starttls.Address;
                var mismatch = direct.Assessment!.Sharing;
                Assert.NotNull(mismatch);
                Assert.False(mismatch.Verified);
                Assert.Equal(new SharedSource(first, XmppMode.C2S, TlsTransport.StartTls, address, 5222), mismatch.Source);
                var differed = mismatch.Hellos[^1];
                Assert.False(differed.Match);
                Assert.NotEqual(differed.Expected, differed.Answered);
                Assert.All(mismatch.Hellos.SkipLast(1), h => Assert.True(h.Match, h.ToString()));
                // Its own full assessment: the direct-TLS port's own suites (DHE or not), and the verification's connections on top.
                static bool Dhe(EndpointReport e) =>
                    e.Assessment!.Protocols.Single(p => p.Protocol == "TLSv1.2").Suites.Any(s => s.Name.StartsWith("TLS_DHE_", StringComparison.Ordinal));
                Assert.Equal((directHasDhe, !directHasDhe), (Dhe(direct), Dhe(starttls)));
                Assert.Equal(mismatch.Hellos.Count, direct.Assessment.Connections.PerProbe.Single(p => p.Probe == "verification").Connections);
                Assert.Contains($"Shared    assessed on its own: the verification against {mismatch.Source} differed at {differed.Hello}", text, StringComparison.Ordinal);

                // The other domains on the address: each port verified against the full assessment of the same port.
                foreach (var domain in domains.Skip(1))
                {
                    foreach (var port in (int[])[5222, 5223])
                    {
                        var sharing = Find(shared, XmppMode.C2S, port, domain).Assessment!.Sharing;
                        Assert.True(sharing is { Verified: true }, $"{domain}:{port}: {(sharing is null ? "not shared" : Describe(sharing))}");
                        Assert.Equal((first, port), (sharing!.Source.Domain, sharing.Source.Port));
                    }
                }

                AssertSameFactsAndGrades(shared, alone);

                // The census composes the same step: its three targets run at once in the address's shard, so which domain
                // assesses in full is theirs to race for — but per port exactly one, the others verified against that port.
                var targets = Path.Combine(dir.FullName, "targets.txt");
                await File.WriteAllLinesAsync(targets, domains);
                var db = "sqlite:" + Path.Combine(dir.FullName, "census.db");
                var census = await RunCliAsync(["census", "--targets", targets, "--store", db, "--depth", "assessment", "--spacing", "0",
                    "--log", Path.Combine(dir.FullName, "node.log"), .. common.Take(7)]);
                Assert.True(census.Code == 0, census.Err + census.Out);
                await using var store = await StoreFactory.OpenAsync(db);
                var stored = await CensusDepthTests.ReportsAsync(store, (await store.ListCensusesAsync()).Single().CensusId);
                var censusReport = alone with { Domains = [.. domains.Select(d => stored[d])] };
                var byPort = censusReport.Domains.SelectMany(d => d.Endpoints).GroupBy(e => e.Port).ToDictionary(g => g.Key, g => g.Select(e => e.Assessment!.Sharing).ToList());
                Assert.Single(byPort[5222], x => x is null);
                Assert.Equal(2, byPort[5222].Count(x => x is { Verified: true, Source.Port: 5222 }));
                Assert.Single(byPort[5223], x => x is { Verified: false, Source.Port: 5222 });
                Assert.Equal(2, byPort[5223].Count(x => x is { Verified: true, Source.Port: 5223 }));
                AssertSameFactsAndGrades(censusReport, alone);
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

    private static async Task<(ScanReport Report, string Text)> ScanAsync(DirectoryInfo dir, string[] args)
    {
        var json = Path.Combine(dir.FullName, $"scan-{Guid.NewGuid():N}.json");
        var (code, stdout, stderr) = await RunCliAsync(["scan", "--json", json, .. args]);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        return (ResultJson.Deserialize(await File.ReadAllTextAsync(json))!, stdout);
    }

    private static IEnumerable<(XmppMode Mode, EndpointReport Endpoint)> Endpoints(ScanReport report) =>
        report.Domains.SelectMany(d => d.Endpoints.Select(e => (d.Mode, e)));

    private static EndpointReport Find(ScanReport report, XmppMode mode, int port, string? domain = null) =>
        report.Domains.Where(d => d.Mode == mode && (domain is null || d.Domain == domain)).SelectMany(d => d.Endpoints).Single(e => e.Port == port);

    private static string Describe(AssessmentSharing sharing) => string.Join("; ", sharing.Hellos.Select(h => $"{h.Hello}: {h.Expected} / {h.Answered}"));

    /// <summary>Every endpoint's protocols, suites in order, key exchange and signature algorithms as the full assessment of
    /// the same endpoint found them, and every grade (each policy, each endpoint and the domain) the same.</summary>
    private static void AssertSameFactsAndGrades(ScanReport shared, ScanReport alone)
    {
        foreach (var domain in shared.Domains)
        {
            foreach (var e in domain.Endpoints)
            {
                var truth = Find(alone, domain.Mode, e.Port, domain.Domain).Assessment!;
                var a = e.Assessment!;
                var where = $"{domain.Domain} {domain.Mode} {e.Port}";
                // What a full assessment finds; not its cost or its evidence (each ServerHello has its own random).
                static string Facts(ProtocolAssessment p) =>
                    JsonSerializer.Serialize(p with { CandidatesTested = 0, Connections = 0, ServerHelloHex = null }, Json);
                Assert.Equal(truth.Protocols.Select(Facts), a.Protocols.Select(Facts));
                Assert.True(truth.Protocols.Count > 0, where);
                Assert.Equal(JsonSerializer.Serialize(truth.KeyExchange, Json), JsonSerializer.Serialize(a.KeyExchange, Json));
                Assert.Equal(JsonSerializer.Serialize(truth.SignatureAlgorithms, Json), JsonSerializer.Serialize(a.SignatureAlgorithms, Json));
            }
        }

        string Grades(ScanReport r) => JsonSerializer.Serialize(Grader.GradeScan(r, Policies.All), Json);
        Assert.Equal(Grades(alone), Grades(shared));
    }
}
