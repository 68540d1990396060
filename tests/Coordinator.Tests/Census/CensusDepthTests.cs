using XmppScanCluster.Coordinator.Tests.Support;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using Xunit.Abstractions;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// <c>census --depth</c> on real servers: at <c>full</c> (the default) every endpoint's stored report carries the TLS
/// assessment, the certificate inspection, the vulnerability probes and the client simulation — the same facts
/// <c>xmppscan scan --json</c> finds
/// — every one of its connections went through the per-IP gate, and the statistics count protocols, weak suites and
/// forward secrecy as the testbed manifest says; at <c>session</c> one connection per endpoint and the statistics say
/// their suites are not counted.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusDepthTests(CensusTestbed testbed, ITestOutputHelper output) : IDisposable
{
    /// <summary>Small, so the test stays fast; the gate must still keep it between every two connections to an address.</summary>
    private const double Spacing = 0.02;

    private static readonly string[] Domains = ["modern.test", "legacy.test", "intermediate.test"];

    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-depth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task FullDepth_reportsCarryTheAssessment_statsCountAsTheManifestSays_everyConnectionGated()
    {
        var clock = Stopwatch.StartNew();
        var (db, log, stdout) = await CensusAsync("full", []);
        var elapsed = clock.Elapsed;
        Assert.Contains("depth full", stdout, StringComparison.Ordinal);

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("three"))!;
        JournalChecks.EveryTargetExactlyOnce(await JournalChecks.ReadAllAsync(store, census.CensusId), Domains.Length, modes: 1);
        var connections = ConnectionLog(log);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(testbed.Env["TESTBED_MANIFEST"])).RootElement.GetProperty("domains")
            .EnumerateArray().ToDictionary(d => d.GetProperty("domain").GetString()!, d => d.GetProperty("expect"));
        var reports = await ReportsAsync(store, census.CensusId);
        foreach (var domain in Domains)
        {
            var expect = manifest[domain];
            var protocols = expect.GetProperty("protocols").EnumerateArray().Select(p => ReportName(p.GetString()!)).Order().ToList();
            var endpoints = reports[domain].Endpoints;
            Assert.NotEmpty(endpoints);
            foreach (var e in endpoints)
            {
                var where = $"{domain} {e.Address}:{e.Port}";
                Assert.True(e.Assessment is { Status: ProbeStatus.Completed }, $"{where}: no completed assessment");
                Assert.NotNull(e.Vulnerabilities);
                Assert.NotNull(e.ClientSimulation);
                Assert.Equal(protocols, e.Assessment.Protocols.Where(p => p.Supported).Select(p => p.Protocol).Order());
                foreach (var (protocol, suites) in expect.GetProperty("cipher_suites").EnumerateObject().Where(p => p.Value.GetArrayLength() > 0)
                             .Select(p => (ReportName(p.Name), p.Value.EnumerateArray().Select(s => s.GetString()!).Order().ToList())))
                {
                    Assert.Equal(suites, e.Assessment.Protocols.Single(p => p.Protocol == protocol).Suites.Select(s => s.Name).Order());
                }

                Assert.True(e.Certificate is { KeyTypeChains: not null, Ocsp: not null, Walk: not null }, $"{where}: certificate not inspected");

                // Every connection of every step went through the node's gate (which wrote this log): the session's one
                // plus what the assessment, the key-type hellos, the probes and the simulation counted.
                var logged = connections.Count(c => c.Address == e.Address && c.Port == e.Port);
                var keyTypeHellos = e.Certificate.KeyTypeChains.Count(k => k.Outcome != KeyTypeOutcome.Skipped);
                Assert.Equal(1 + e.Assessment.Connections.Total + keyTypeHellos + e.Vulnerabilities.Connections + e.ClientSimulation.Connections, logged);
            }
        }

        CheckPerIpLimits(connections);

        // The same facts as the interactive scan: protocols and suites (in order), the derived weaknesses, the clients.
        var scanFile = Path.Combine(_dir, "legacy.json");
        var scan = await RunCliAsync(["scan", .. testbed.ScanOptions, "--json", scanFile, "legacy.test"]);
        Assert.True(File.Exists(scanFile), scan.Err);
        var scanned = Assert.Single(ResultJson.Deserialize(await File.ReadAllTextAsync(scanFile))!.Domains);
        foreach (var e in reports["legacy.test"].Endpoints)
        {
            var s = scanned.Endpoints.Single(x => (x.Address, x.Port) == (e.Address, e.Port));
            Assert.Equal(Suites(s.Assessment!), Suites(e.Assessment!));
            Assert.Equal(s.Vulnerabilities!.Derived.Select(d => (d.Weakness, d.Present)), e.Vulnerabilities!.Derived.Select(d => (d.Weakness, d.Present)));
            Assert.Equal(s.ClientSimulation!.Clients.Select(c => (c.ProfileId, c.Outcome, c.CipherSuite)),
                e.ClientSimulation!.Clients.Select(c => (c.ProfileId, c.Outcome, c.CipherSuite)));
            Assert.Equal(s.Certificate!.KeyTypeChains!.Select(k => (k.KeyType, k.Outcome, string.Join(",", k.ChainSha256))),
                e.Certificate!.KeyTypeChains!.Select(k => (k.KeyType, k.Outcome, string.Join(",", k.ChainSha256))));
            Assert.Equal((s.Certificate.Ocsp!.Status, s.Certificate.Dane?.Verdict.Result, s.Certificate.Trust.Trusted),
                (e.Certificate.Ocsp!.Status, e.Certificate.Dane?.Verdict.Result, e.Certificate.Trust.Trusted));
        }

        var stats = await StatsAsync(db);
        int Manifest(Func<JsonElement, bool> has) => Domains.Count(d => has(manifest[d]));
        bool Class(JsonElement expect, string name) => expect.GetProperty("suite_classes").GetProperty(name).GetBoolean();
        Assert.Equal(Domains.Length, stats.GetProperty("assessed").GetInt32());
        Assert.Equal(Manifest(x => x.GetProperty("protocols").EnumerateArray().Any(p => p.GetString() == "TLSv1")), StatCount(stats, "protocols", "TLSv1.0"));
        Assert.Equal(Manifest(x => x.GetProperty("protocols").EnumerateArray().Any(p => p.GetString() == "TLSv1.3")), StatCount(stats, "features", "tls13"));
        // OpenSSL 3.0 serves no DES or export suite (TESTBED-NOTES): the testbed's ≤ 56-bit suites are its NULL ones.
        Assert.Equal(Manifest(x => Class(x, "null")), StatCount(stats, "features", "weak_suites"));
        Assert.Equal(Manifest(x => Class(x, "null")), StatCount(stats, "features", "null_suites"));
        Assert.Equal(Manifest(x => Class(x, "anon")), StatCount(stats, "features", "anonymous_suites"));
        Assert.Equal(0, StatCount(stats, "features", "export_suites") + StatCount(stats, "features", "rc4_suites"));
        Assert.Equal(Manifest(x => x.GetProperty("dhe_bits") is { ValueKind: JsonValueKind.Number } b && b.GetInt32() <= 1024),
            StatCount(stats, "features", "dh_1024_or_less"));
        // Static RSA and RSA-NULL suites have no ephemeral key exchange; everything else on the testbed has.
        Assert.Equal(Manifest(x => !Class(x, "static_rsa") && !Class(x, "null")), StatCount(stats, "features", "forward_secrecy_all"));
        Assert.Equal(Manifest(x => Class(x, "static_rsa") || Class(x, "null")), StatCount(stats, "features", "forward_secrecy_some"));
        output.WriteLine($"full depth: {Domains.Length} domains, {reports.Values.Sum(r => r.Endpoints.Count)} endpoints, " +
            $"{connections.Count} connections in {elapsed.TotalSeconds:0.0} s (spacing {Spacing} s)");
    }

    [Fact]
    public async Task SessionDepth_oneConnectionPerEndpoint_noAssessment_statsSaySuitesAreNotCounted()
    {
        var clock = Stopwatch.StartNew();
        var (db, log, stdout) = await CensusAsync("session", ["--depth", "session"]);
        Assert.Contains("depth session", stdout, StringComparison.Ordinal);

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("three"))!;
        var reports = await ReportsAsync(store, census.CensusId);
        var endpoints = reports.Values.SelectMany(r => r.Endpoints).ToList();
        Assert.All(endpoints, e => Assert.True(e.Tls?.Protocol is not null && e.Assessment is null && e.Vulnerabilities is null));
        Assert.Equal(endpoints.Count, ConnectionLog(log).Count);

        var stats = await StatsAsync(db);
        Assert.Equal(0, stats.GetProperty("assessed").GetInt32());
        // legacy.test accepts NULL suites, but one negotiated session cannot show it: nothing is claimed.
        Assert.Equal(0, StatCount(stats, "features", "weak_suites"));
        var text = await RunCliAsync(["census", "stats", "--store", db]);
        Assert.Contains("depth session", text.Out, StringComparison.Ordinal);
        Assert.Contains("their suites are not counted", text.Out, StringComparison.Ordinal);
        output.WriteLine($"session depth: {endpoints.Count} endpoints, {endpoints.Count} connections in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<(string Db, string Log, string Stdout)> CensusAsync(string name, string[] extra)
    {
        var targets = Path.Combine(_dir, "three.txt");
        await File.WriteAllLinesAsync(targets, Domains);
        var db = "sqlite:" + Path.Combine(_dir, name + ".db");
        var log = Path.Combine(_dir, name + "-connections.log");
        var run = await RunCliAsync(["census", "--targets", targets, "--store", db, "--spacing", Spacing.ToString(CultureInfo.InvariantCulture),
            "--connection-log", log, "--log", Path.Combine(_dir, name + "-node.log"), .. extra, .. testbed.ScanOptions]);
        Assert.True(run.Code == 0, run.Err + run.Out);
        return (db, log, run.Out);
    }

    /// <summary>Each target's stored result: the <c>domain_scan_completed</c> of its stream (one mode).</summary>
    internal static async Task<Dictionary<string, DomainReport>> ReportsAsync(ICensusStore store, Guid censusId)
    {
        var result = new Dictionary<string, DomainReport>();
        foreach (var target in await store.ListTargetsAsync(censusId, null, 100))
        {
            result[target.Domain] = Assert.Single(await store.ReadReportsAsync(censusId, TargetStreams.For(target.TargetId, "default")));
        }

        return result;
    }

    private static async Task<JsonElement> StatsAsync(string db)
    {
        var (code, json, err) = await RunCliAsync(["census", "stats", "--store", db, "--json"]);
        Assert.True(code == 0, err);
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>The manifest writes "TLSv1" where reports say "TLSv1.0" (OpenSSL's spelling).</summary>
    private static string ReportName(string manifestName) => manifestName == "TLSv1" ? "TLSv1.0" : manifestName;

    private static List<(string Protocol, bool Supported, NegotiationOrder Order, string Suites)> Suites(TlsAssessmentReport a) =>
        [.. a.Protocols.Select(p => (p.Protocol, p.Supported, p.SuiteOrder, string.Join(",", p.Suites.Select(s => s.Hex))))];

    private static List<(string Address, int Port, long Opened, long Closed)> ConnectionLog(string path) =>
        [.. File.ReadAllLines(path).Select(l => l.Split(' ')).Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture),
            long.Parse(p[2], CultureInfo.InvariantCulture), long.Parse(p[3], CultureInfo.InvariantCulture)))];

    /// <summary>The census default of one connection per address at a time, and starts at least the spacing apart.</summary>
    private static void CheckPerIpLimits(List<(string Address, int Port, long Opened, long Closed)> connections)
    {
        foreach (var perIp in connections.GroupBy(c => c.Address))
        {
            var ordered = perIp.OrderBy(c => c.Opened).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].Opened >= ordered[i - 1].Closed, $"{perIp.Key}: two connections open at once");
                Assert.True(ordered[i].Opened - ordered[i - 1].Opened >= Spacing * 1000 - 2, $"{perIp.Key}: connections closer than the spacing");
            }
        }
    }
}
