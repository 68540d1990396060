using System.Diagnostics;
using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Population;

/// <summary>
/// The simulated 2013 population (tests/population/weak_population.py): 108 XMPP domains on loopback, 100 of which answer
/// a ClientHello — real OpenSSL handshakes where OpenSSL 3 can serve the profile, scripted ServerHello / SSLv2 SERVER-HELLO
/// answers with the real chain where it cannot — and a dnsmasq serving their records. Started once for the collection;
/// closing its standard input stops it (and its dnsmasq).
/// </summary>
public sealed class WeakPopulation : IAsyncLifetime
{
    private Process? _process;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("xmppscan-population-").FullName;

    /// <summary>The resolver serving the population's A and SRV records (address:port).</summary>
    public string Dns { get; private set; } = "";

    public string CaFile => Path.Combine(Directory, "ca.pem");

    public string TargetsFile => Path.Combine(Directory, "targets.txt");

    /// <summary>truth.json: the counts by construction, and every server's profile.</summary>
    public JsonElement Truth { get; private set; }

    /// <summary>The options every scan of the population uses: its resolver, its CA only, short deadlines.</summary>
    public string[] ScanOptions => ["--dns", Dns, "--trust-anchors", CaFile, "--no-system-trust", "--timeout", "5"];

    public async Task InitializeAsync()
    {
        // The engineer's free loopback block when set (isolation on a shared machine), else one nothing else uses.
        var net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") is { Length: > 0 } free ? free : "127.122";
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "population", "weak_population.py"));
        start.ArgumentList.Add(net);
        start.ArgumentList.Add(Directory);
        _process = Process.Start(start)!;
        var errors = _process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var line = await _process.StandardOutput.ReadLineAsync(deadline.Token);
        if (line != "ready")
        {
            throw new InvalidOperationException($"the population did not start: {line} {await errors}");
        }

        Dns = (await File.ReadAllTextAsync(Path.Combine(Directory, "dns.txt"))).Trim();
        Truth = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Directory, "truth.json"))).RootElement;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.StandardInput.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PopulationCollection : ICollectionFixture<WeakPopulation>
{
    public const string Name = "weak population";
}
