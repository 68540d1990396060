using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Scanning;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

public class ScanSettingsTests
{
    private static ScanSettings Valid(params string[] domains) =>
        ScanSettings.Validate(domains, "c2s", ["127.0.0.1:5353"], [], systemTrust: true, jsonPath: null, timeoutSeconds: 5);

    [Fact]
    public void InternationalDomain_isScannedInALabelForm()
    {
        var settings = Valid("Bücher.Example");
        Assert.Equal(["xn--bcher-kva.example"], settings.Domains);
    }

    [Fact]
    public void DuplicateDomains_areScannedOnce()
    {
        Assert.Single(Valid("example.test", "EXAMPLE.test.").Domains);
    }

    [Fact]
    public void EveryProblem_isReportedInOneUsageError()
    {
        var error = Assert.Throws<UsageException>(() => ScanSettings.Validate(
            ["ok.test", "bad domain", "-x.test"], "c2s", ["not-an-address"], ["/nonexistent.pem"],
            systemTrust: true, jsonPath: "/nonexistent-dir/out.json", timeoutSeconds: 0));
        var lines = error.Message.Split(Environment.NewLine);
        Assert.Equal(6, lines.Length);
        Assert.Contains(lines, l => l.Contains("bad domain", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--dns 'not-an-address'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/nonexistent.pem", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/nonexistent-dir", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void NoSystemTrustWithoutAnchors_isAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => ScanSettings.Validate(
            ["ok.test"], "c2s", ["127.0.0.1"], [], systemTrust: false, jsonPath: null, timeoutSeconds: 5));
        Assert.Contains("--no-system-trust", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeBoth_scansC2sThenS2s()
    {
        var settings = ScanSettings.Validate(["ok.test"], "both", ["[::1]:53"], [], true, null, 5);
        Assert.Equal([XmppMode.C2S, XmppMode.S2S], settings.Modes);
        Assert.Equal("[::1]:53", settings.Dns.Servers.Single().ToString());
    }

    [Fact]
    public void Timeout_setsConnectAndReadDeadlines()
    {
        var settings = Valid("ok.test");
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Limits.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Limits.ReadTimeout);
    }

    [Fact]
    public void Skip_turnsOffVulnerabilitiesAndClients_andRejectsUnknownParts()
    {
        var settings = ScanSettings.Validate(["ok.test"], "c2s", ["127.0.0.1"], [], true, null, 5, skip: ["vulnerabilities", "CLIENTS"]);
        Assert.False(settings.Assessment.Vulnerabilities);
        Assert.False(settings.Assessment.ClientSimulation);
        Assert.True(Valid("ok.test").Assessment.Vulnerabilities);

        var error = Assert.Throws<UsageException>(() => ScanSettings.Validate(["ok.test"], "c2s", ["127.0.0.1"], [], true, null, 5, skip: ["vulnerabilities,ciphers"]));
        Assert.Contains("--skip 'ciphers'", error.Message, StringComparison.Ordinal);
    }
}
