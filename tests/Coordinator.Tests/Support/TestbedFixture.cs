using System.Diagnostics;
using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// The local testbed of real XMPP servers (deploy/testbed), brought up through <see cref="SharedTestbed"/>
/// (which also decides when it stops). Scans every testbed domain once with the real CLI, so each test asserts
/// on what the scanner reported.
/// </summary>
public sealed class TestbedFixture : IAsyncLifetime
{
    public string Directory => SharedTestbed.Directory;

    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public string DnsServer => Env["TESTBED_DNS"];

    /// <summary>Root + intermediate: the intermediate is "known to the store", which separates a missing
    /// intermediate (incomplete chain) from an unknown CA.</summary>
    public string TrustBundle => Env["TESTBED_CA_BUNDLE"];

    public JsonElement Manifest { get; private set; }

    public ScanReport C2s { get; private set; } = null!;

    public ScanReport S2s { get; private set; } = null!;

    public int C2sExitCode { get; private set; }

    public string C2sText { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Env = SharedTestbed.EnsureUp();
        Manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Env["TESTBED_MANIFEST"])).RootElement.Clone();

        var domains = Domains().Select(d => d.GetProperty("domain").GetString()!)
            .Concat(Manifest.GetProperty("no_service_domains").EnumerateArray().Select(d => d.GetProperty("domain").GetString()!))
            .ToArray();
        (C2sExitCode, C2sText, C2s) = await ScanAsync("c2s", domains);
        (_, _, S2s) = await ScanAsync("s2s", domains);
    }

    public IEnumerable<JsonElement> Domains() => Manifest.GetProperty("domains").EnumerateArray();

    public JsonElement Domain(string name) => Domains().Single(d => d.GetProperty("domain").GetString() == name);

    public async Task<(int Code, string Text, ScanReport Report)> ScanAsync(string mode, params string[] domains)
    {
        var json = Path.GetTempFileName();
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args = ["scan", "--mode", mode, "--dns", DnsServer, "--trust-anchors", TrustBundle, "--no-system-trust", "--json", json, .. domains];
            var code = await CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
            var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))
                ?? throw new InvalidOperationException("no JSON written; stderr: " + stderr);
            return (code, stdout.ToString(), report);
        }
        finally
        {
            File.Delete(json);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class TestbedCollection : ICollectionFixture<TestbedFixture>
{
    public const string Name = "testbed";
}
