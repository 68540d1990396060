using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Results;
using Xunit.Abstractions;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Issue 11, one scan pipeline: <c>xmppscan scan --json</c> of a testbed domain and the census's
/// <c>domain_scan_completed</c> for the same domain are the same report — same endpoints in the same order, suites per
/// protocol in the server's order, weaknesses, probe results, certificate verdicts (key-type chains, OCSP, DANE, trust),
/// client verdicts — because both come from the same steps and the same projection. Only durations and the per-connection
/// randomness of the server (stream id, ServerHello random) may differ.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class ScanCensusParityTests(CensusTestbed testbed, ITestOutputHelper output) : IDisposable
{
    // legacy.test: the most suites, NULL/anonymous/static RSA, weak DH, a SHA-1 chain; modern.test: TLS 1.3, ECDSA and RSA.
    private static readonly string[] Domains = ["legacy.test", "modern.test"];

    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-parity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ScanJson_equalsTheCensusDomainReport_exceptDurations()
    {
        var targets = Path.Combine(_dir, "parity.txt");
        await File.WriteAllLinesAsync(targets, Domains);
        var db = "sqlite:" + Path.Combine(_dir, "parity.db");
        var census = await RunCliAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.02",
            "--log", Path.Combine(_dir, "node.log"), .. testbed.ScanOptions]);
        Assert.True(census.Code == 0, census.Err + census.Out);

        var scanFile = Path.Combine(_dir, "scan.json");
        var scan = await RunCliAsync(["scan", .. testbed.ScanOptions, "--json", scanFile, .. Domains]);
        Assert.True(scan.Code == 0, scan.Err);
        var scanned = ResultJson.Deserialize(await File.ReadAllTextAsync(scanFile))!.Domains.ToDictionary(d => d.Domain);

        await using var store = await StoreFactory.OpenAsync(db);
        var stored = (await store.FindCensusAsync("parity"))!;
        var reports = await CensusDepthTests.ReportsAsync(store, stored.CensusId);
        foreach (var domain in Domains)
        {
            var fromScan = Comparable(scanned[domain]);
            var fromCensus = Comparable(reports[domain]);
            var differences = new List<string>();
            Differences(fromScan, fromCensus, "$", differences);
            Assert.True(differences.Count == 0, $"{domain}: scan and census differ at\n{string.Join("\n", differences.Take(20))}");

            // The comparison is about something: the full depth's parts are there on every endpoint.
            Assert.NotEmpty(scanned[domain].Endpoints);
            Assert.All(scanned[domain].Endpoints, e => Assert.True(
                e is { Assessment.Status: ProbeStatus.Completed, Vulnerabilities: not null, ClientSimulation: not null,
                    Certificate.KeyTypeChains: not null }, $"{domain} {e.Address}:{e.Port}: not scanned at full depth"));
            output.WriteLine($"{domain}: {scanned[domain].Endpoints.Count} endpoints identical, " +
                $"{scanned[domain].Endpoints.Sum(e => e.Assessment!.Connections.Total).ToString(CultureInfo.InvariantCulture)} assessment connections");
        }
    }

    /// <summary>The report as JSON without what measures time (<c>elapsed_ms</c>) and what a server makes new on every
    /// connection: the stream id (RFC 6120 §4.7.3) and the ServerHello's bytes as evidence (its random and session id,
    /// RFC 5246 §7.4.1.3 — the parsed facts in them, version, suite and extensions, are compared).</summary>
    private static JsonNode Comparable(DomainReport report)
    {
        var node = JsonSerializer.SerializeToNode(report, ResultJson.Options)!;
        Strip(node);
        return node;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("elapsed_ms");
                o.Remove("stream_id");
                o.Remove("server_hello_hex");
                foreach (var (_, child) in o)
                {
                    Strip(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Strip(child);
                }

                break;
        }
    }

    /// <summary>Every differing leaf: its path and both values, for the failure message.</summary>
    private static void Differences(JsonNode? a, JsonNode? b, string path, List<string> found)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)).Where(k => !JsonNode.DeepEquals(x[k], y[k])))
                {
                    Differences(x[key], y[key], $"{path}.{key}", found);
                }

                return;
            case (JsonArray x, JsonArray y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                {
                    if (!JsonNode.DeepEquals(x[i], y[i]))
                    {
                        Differences(x[i], y[i], $"{path}[{i}]", found);
                    }
                }

                return;
            default:
                found.Add($"{path}: scan {Bound(a)} / census {Bound(b)}");
                return;
        }
    }

    private static string Bound(JsonNode? n) => n?.ToJsonString() is { Length: > 300 } s ? s[..300] + "…" : n?.ToJsonString() ?? "absent";
}
