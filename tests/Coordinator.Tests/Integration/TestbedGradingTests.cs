using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// The gradings `xmppscan scan --json` wrote for the real testbed servers (both modes, both policies): the legacy
/// Prosody fails for NULL/anonymous suites, the modern one gets an A, expired and unknown-CA servers get T with
/// their grade ignoring trust, the wrong-name server M.
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedGradingTests(TestbedFixture testbed)
{
    private IEnumerable<GradingEntry> Domain(string domain, string policy = Policies.SslLabs) =>
        new[] { testbed.C2s, testbed.S2s }.SelectMany(r => r.Gradings ?? [])
            .Where(g => g.Domain == domain && g.Endpoint is null && g.Result.Policy == policy);

    private GradeResult Single(string domain, XmppMode mode, string policy = Policies.SslLabs) =>
        Assert.Single(Domain(domain, policy), g => g.Mode == mode).Result;

    [Theory]
    [InlineData(XmppMode.C2S)]
    [InlineData(XmppMode.S2S)]
    public void Legacy_isF_forNullAndAnonymousSuites(XmppMode mode)
    {
        var result = Single("legacy.test", mode);
        Assert.Equal("F", result.Grade);
        Assert.Equal("null_or_anonymous_suites", result.Caps[0].Rule);
        Assert.Contains("NULL-cipher and anonymous suites accepted", result.Caps[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(XmppMode.C2S)]
    [InlineData(XmppMode.S2S)]
    public void Modern_isA_withNoCaps(XmppMode mode)
    {
        var result = Single("modern.test", mode);
        Assert.Equal(("A", "A"), (result.Grade, result.GradeIgnoringTrust));
        Assert.Empty(result.Caps);
        Assert.Equal("A", Single("modern.test", mode, Policies.Xmppoke).Grade);
    }

    [Theory]
    [InlineData("expired.test", "expired")]
    [InlineData("unknownca.test", "")]
    public void UntrustedChains_areT_withTheirGradeIgnoringTrust(string domain, string reason)
    {
        foreach (var mode in new[] { XmppMode.C2S, XmppMode.S2S })
        {
            var result = Single(domain, mode);
            Assert.Equal("T", result.Grade);
            Assert.Equal("A", result.GradeIgnoringTrust);
            // One T per endpoint unless the reasons are identical (they carry the scan time of each endpoint).
            var untrusted = result.Caps.Where(c => c.Cap == "T").ToList();
            Assert.NotEmpty(untrusted);
            Assert.All(untrusted, c => Assert.Contains(reason, c.Reason, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(XmppMode.C2S)]
    [InlineData(XmppMode.S2S)]
    public void WrongName_isM_withItsGradeIgnoringTrust(XmppMode mode)
    {
        var result = Single("wrongname.test", mode);
        Assert.Equal(("M", "A"), (result.Grade, result.GradeIgnoringTrust));
        Assert.Contains("unrelated.test", result.Caps.Single(c => c.Cap == "M").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryGradedDomain_hasBothPolicies_andTheTextReportShowsTheGrade()
    {
        var domains = testbed.C2s.Domains.Where(d => d.Endpoints.Any(e => e.Tls is not null)).Select(d => d.Domain).ToList();
        Assert.NotEmpty(domains);
        foreach (var domain in domains)
        {
            Assert.Single(Domain(domain, Policies.SslLabs), g => g.Mode == XmppMode.C2S);
            Assert.Single(Domain(domain, Policies.Xmppoke), g => g.Mode == XmppMode.C2S);
        }

        Assert.All(testbed.C2sText.Split('\n'), l => Assert.True(l.TrimEnd('\r').EnumerateRunes().Count() <= 80, l));
        Assert.Contains("Grade     A", testbed.C2sText, StringComparison.Ordinal);
        Assert.Contains("Grade     T (A if trust issues are ignored)", testbed.C2sText, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalStartTls_andPlainBeforeTls_areRatedBesideTheLetter()
    {
        var result = Single("optional.test", XmppMode.C2S);
        Assert.Equal(RatingLevel.Bad, result.XmppRatings.Single(r => r.Name == "starttls_required").Level);
        Assert.Equal(RatingLevel.Bad, result.XmppRatings.Single(r => r.Name == "sasl_plain_before_tls").Level);
        Assert.Equal(RatingLevel.Good, Single("modern.test", XmppMode.C2S).XmppRatings.Single(r => r.Name == "starttls_required").Level);
    }

    [Theory]
    [InlineData(XmppMode.C2S, "cleartext_auth_before_tls")]
    [InlineData(XmppMode.S2S, "s2s_auth_before_tls")]
    public void OptionalStartTls_isNoLongerA_underTheDefault_butStillA_underSslLabs(XmppMode mode, string authRule)
    {
        // optional.test: STARTTLS offered, not required (c2s and s2s); PLAIN before TLS on c2s; dialback before TLS on s2s.
        var result = Single("optional.test", mode, Policies.Default);
        Assert.Equal(("D", "D"), (result.Grade, result.GradeIgnoringTrust));
        Assert.Equal([authRule, "starttls_optional"], result.Caps.Where(c => c.Cap is "D" or "C").Select(c => c.Rule));
        Assert.Contains(result.Caps, c => c.Rule == "starttls_optional" && c.Reason.Contains("strip", StringComparison.Ordinal));
        Assert.Equal("A", Single("optional.test", mode, Policies.SslLabs).Grade);
        Assert.Equal("A", Single("modern.test", mode, Policies.Default).Grade);
    }

    [Theory]
    [InlineData(XmppMode.C2S)]
    [InlineData(XmppMode.S2S)]
    public void Sha1SignedLeaf_isATrustProblem_underTheDefault_andAWarningUnderSslLabs(XmppMode mode)
    {
        // sha1.test: the real Prosody serving a SHA-1-signed leaf (it needs OpenSSL security level 0 to load it).
        var result = Single("sha1.test", mode, Policies.Default);
        Assert.Equal(("T", "A"), (result.Grade, result.GradeIgnoringTrust));
        Assert.Contains(result.Caps, c => c.Rule == "sha1_in_chain" && c.Cap == "T"
            && c.Reason.EndsWith("not trusted by OpenSSL 3 (security level 1+), GnuTLS 3.x, browsers since 2017", StringComparison.Ordinal));
        Assert.Equal("A-", Single("sha1.test", mode, Policies.SslLabs).Grade);
    }

    [Fact]
    public void TextReport_showsTheDefaultLetterFirst_andTheSslLabsLetterBesideIt()
    {
        var lines = testbed.C2sText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var optional = lines.FindIndex(l => l == "optional.test (c2s)");
        Assert.StartsWith("  Grade     D ", lines[optional + 1], StringComparison.Ordinal);
        Assert.EndsWith($"xmppscan-2026 v{Policies.XmppScan2026.Version}", lines[optional + 1], StringComparison.Ordinal);
        Assert.Equal($"            A   under ssllabs-2009r v{Policies.SslLabs2009r.Version} (TLS only)", lines[optional + 2]);
    }

    [Fact]
    public async Task HtmlOption_showsTheVulnerabilityProbesAndTheClientSimulation()
    {
        var html = Path.GetTempFileName();
        try
        {
            var address = testbed.Domain("legacy.test").GetProperty("endpoints")[0].GetProperty("address").GetString()!;
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["scan", "--connect", address, "--dns", testbed.DnsServer, "--trust-anchors", testbed.TrustBundle,
                "--no-system-trust", "--html", html, "legacy.test"], stdout, stderr, CancellationToken.None);
            var page = await File.ReadAllTextAsync(html);

            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("<th>Heartbleed (CVE-2014-0160)</th><td class=\"yes\">safe", page, StringComparison.Ordinal);
            Assert.Contains("<th>NULL cipher</th><td class=\"weak\">VULNERABLE", page, StringComparison.Ordinal);
            Assert.Contains("<h4>Client simulation (", page, StringComparison.Ordinal);
            Assert.Contains("<td>openssl-3.0</td><td>TLSv1.3</td>", page, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(html);
        }
    }

    [Fact]
    public async Task HtmlOption_writesASelfContainedPage_withTheOtherPoliciesToo()
    {
        var html = Path.GetTempFileName();
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["scan", "--quick", "--policy", Policies.Xmppoke, "--dns", testbed.DnsServer, "--trust-anchors", testbed.TrustBundle,
                "--no-system-trust", "--html", html, "wrongname.test"], stdout, stderr, CancellationToken.None);
            var page = await File.ReadAllTextAsync(html);

            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("<div class=\"letter g-t\">M</div>", page, StringComparison.Ordinal);
            Assert.Contains("ssllabs-2009r: <b>M</b>", page, StringComparison.Ordinal);
            Assert.Contains("xmppoke-2015 v1", stdout.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(html);
        }
    }
}
