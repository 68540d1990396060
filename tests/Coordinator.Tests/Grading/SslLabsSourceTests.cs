using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>
/// The SSL Labs part of the default policy, rule by rule, each with the published SSL Labs change it follows (the
/// table in the Grading README). The whole policy grades the scenario, so a rule left out of xmppscan-2026 or given
/// another cap fails here. Sources: Qualys blog 2014-01-21 "Stricter Security Requirements for 2014" (Q2014a),
/// 2014-12-08 "End of Year 2014 Updates" (Q2014b), SSL Labs 1.17.10 2015-05 "Increased penalty when TLS 1.2 is not
/// supported" (Q2015), 2016-11-16 "Announcing grading changes for 2017" (Q2016), 2017-01-18 "Grading changes
/// January 2017" (Q2017), "Grade change for TLS 1.0 and TLS 1.1" live 2020-01-31 (Q2020), SSL Labs report wording
/// (Report), the rating guide's change list (Guide).
/// </summary>
public class SslLabsSourceTests
{
    [Theory]
    [InlineData("ssl2", "F", "Report: supports SSL 2 … Grade set to F (DROWN)")]
    [InlineData("ssl3_best_protocol", "F", "Q2014b: Grade F given to servers that support only SSL 3")]
    [InlineData("ssl3_supported", "B", "Q2014b: servers that support SSL 3 are capped at B")]
    [InlineData("poodle", "C", "Q2014b: … C if vulnerable to POODLE")]
    [InlineData("rc4", "B", "Q2014b: servers that support RC4 are capped at B")]
    [InlineData("rc4_with_modern_tls", "C", "Q2015: RC4 with TLS 1.1/1.2 raised from a warning (Q2014a) to C")]
    [InlineData("no_tls12", "C", "Q2015: no TLS 1.2 raised from B (Q2014a) to C; Q2017 confirms")]
    [InlineData("block64_with_modern_tls", "C", "Q2016/Q2017: 3DES and every 64-bit block cipher negotiated with TLS 1.1+ → C")]
    [InlineData("rsa_key_insecure", "F", "Q2014a: keys below 1024 bits are insecure, F")]
    [InlineData("rsa_key_weak", "B", "Q2014a: keys below 2048 bits are weak, B")]
    [InlineData("md5_signature", "F", "Q2014a: MD5 certificate signatures are insecure, F")]
    [InlineData("incomplete_chain", "B", "Q2014b: incomplete certificate chains capped at B")]
    [InlineData("no_forward_secrecy", "B", "Q2016: no forward secrecy from a warning (Q2014a) to B")]
    [InlineData("no_aead", "B", "Report: does not support AEAD cipher suites. Grade capped to B")]
    [InlineData("tls10_tls11", "B", "Q2020: servers that support TLS 1.0 or TLS 1.1 are capped to B")]
    [InlineData("no_secure_renegotiation", "A-", "Q2014a: no secure renegotiation is a warning (A-)")]
    [InlineData("insecure_renegotiation", "F", "Report: vulnerable to MITM attacks because it supports insecure renegotiation. Grade set to F")]
    [InlineData("dh_params_weak", "B", "Report: weak Diffie-Hellman (DH) key exchange parameters. Grade capped to B")]
    [InlineData("no_tls13", "A-", "Report: does not support TLS 1.3, A- on an otherwise clean server (observed)")]
    [InlineData("export_suites", "F", "Guide 2009j: export suites F (FREAK)")]
    [InlineData("null_or_anonymous_suites", "F", "Guide: anonymous key exchange and 0-bit ciphers score 0 (a zero category is F)")]
    [InlineData("weak_suite_bits", "F", "Guide 2009q: insecure cipher suites (< 112 bits) F")]
    [InlineData("rc4_only", "F", "Guide 2009k: RC4 as the only cipher F")]
    [InlineData("tls_compression", "C", "Guide 2009e: TLS compression (CRIME) C")]
    [InlineData("heartbleed", "F", "Guide 2009g: Heartbleed F")]
    [InlineData("ccs_injection", "F", "Guide 2009h: CCS injection (CVE-2014-0224) F")]
    [InlineData("sha1_in_chain", "T", "Report: an insecure signature makes a certificate not trusted (T)")]
    [InlineData("untrusted", "T", "Guide: T — certificate not trusted")]
    [InlineData("name_mismatch", "M", "Guide: M — certificate name mismatch")]
    public void DefaultPolicy_capsAsSslLabsPublished(string rule, string cap, string source)
    {
        var result = Policies.XmppScan2026.Grade(Trigger(rule));
        Assert.True(result.Caps.Any(c => c.Rule == rule && c.Cap == cap),
            $"{rule} should cap at {cap} ({source}); caps: {string.Join("; ", result.Caps.Select(c => $"{c.Rule} {c.Cap}"))}");
        Assert.DoesNotContain(Policies.XmppScan2026.Grade(Scenario.Modern()).Caps, c => c.Rule == rule);
    }

    [Fact]
    public void Sha1SignedLeaf_isATrustProblem_namingTheLibrariesThatRejectIt()
    {
        var result = Policies.XmppScan2026.Grade(Trigger("sha1_in_chain"));
        Assert.Equal(("T", "A"), (result.Grade, result.GradeIgnoringTrust));
        var reason = result.Caps.Single(c => c.Rule == "sha1_in_chain").Reason;
        Assert.Contains("not trusted by OpenSSL 3 (security level 1+), GnuTLS 3.x, browsers since 2017", reason, StringComparison.Ordinal);
        // ssllabs-2009r, kept as it was: a warning.
        Assert.Equal("A-", Policies.SslLabs2009r.Grade(Trigger("sha1_in_chain")).Grade);
    }

    [Fact]
    public void MissingFallbackScsv_onlyWithheldAPlus_soTheDefaultDoesNotCapIt()
    {
        // Q2014b: "A+ servers are now expected to support TLS_FALLBACK_SCSV" — a condition of A+, not an A- warning.
        var input = Scenario.Modern() with { Probes = ProbeVerdicts.Of((FallbackScsvCheck.Key, true)) };
        Assert.Equal("A", Policies.XmppScan2026.Grade(input).Grade);
        Assert.Equal("A-", Policies.SslLabs2009r.Grade(input).Grade);
    }

    /// <summary>The modern baseline with the one change that triggers <paramref name="rule"/>.</summary>
    private static GradingInput Trigger(string rule) => rule switch
    {
        "ssl2" => Scenario.Modern() with { Ssl2CipherBits = [128] },
        "ssl3_best_protocol" => Scenario.Modern().Only((TlsVersion.Ssl3, ["TLS_RSA_WITH_AES_128_CBC_SHA"])),
        "ssl3_supported" or "poodle" => Scenario.Modern().With(TlsVersion.Ssl3, "TLS_RSA_WITH_AES_128_CBC_SHA"),
        "rc4" => Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_WITH_RC4_128_SHA"),
        "rc4_with_modern_tls" => Scenario.Modern().With(TlsVersion.Tls12, [.. Scenario.ModernTls12, "TLS_RSA_WITH_RC4_128_SHA"]),
        "no_tls12" => Scenario.Modern().Only((TlsVersion.Tls11, ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"])),
        "block64_with_modern_tls" => Scenario.Modern().With(TlsVersion.Tls12, [.. Scenario.ModernTls12, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"]),
        "rsa_key_insecure" => Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 768),
        "rsa_key_weak" => Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 1024),
        "md5_signature" => Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 2048, "md5"),
        "sha1_in_chain" => Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 2048, "sha1"),
        "incomplete_chain" => Scenario.Modern() with
        {
            Trust = new TrustVerdict(false, [new TrustIssue(TrustProblem.IncompleteChain, "intermediate CN=Issuer not sent", 0)], [], null),
        },
        "untrusted" => Scenario.Modern() with
        {
            Trust = new TrustVerdict(false, [new TrustIssue(TrustProblem.UnknownIssuer, "issuer CN=Issuer unknown", 0)], [], null),
        },
        "name_mismatch" => Scenario.Modern() with
        {
            Identity = new IdentityMatch(false, IdentityMatchKind.None, null, "example.test", [new SubjectAltName(SubjectAltNameType.DnsName, "other.test")], false),
        },
        "no_forward_secrecy" => Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_RSA_WITH_AES_128_GCM_SHA256"])),
        "no_aead" => Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"])),
        "tls10_tls11" => Scenario.Modern().With(TlsVersion.Tls10, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
        "no_secure_renegotiation" => Scenario.Modern() with { Probes = ProbeVerdicts.Of((SecureRenegotiationCheck.Key, true)) },
        "insecure_renegotiation" => Scenario.Modern() with { Probes = ProbeVerdicts.Of((ClientRenegotiationCheck.Key, true)) },
        "dh_params_weak" => Scenario.Modern() with { DhGroupBits = [1024] },
        "no_tls13" => Scenario.Modern().Only((TlsVersion.Tls12, Scenario.ModernTls12)),
        "export_suites" => Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
        "null_or_anonymous_suites" => Scenario.Modern().With(TlsVersion.Tls12, [.. Scenario.ModernTls12, "TLS_DH_anon_WITH_AES_128_CBC_SHA"]),
        "weak_suite_bits" => Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_WITH_DES_CBC_SHA"),
        "rc4_only" => Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_RSA_WITH_RC4_128_SHA"])),
        "tls_compression" => Scenario.Modern() with { Probes = ProbeVerdicts.Of((CompressionCheck.Key, true)) },
        "heartbleed" => Scenario.Modern() with { Probes = ProbeVerdicts.Of((HeartbleedCheck.Key, true)) },
        "ccs_injection" => Scenario.Modern() with { Probes = ProbeVerdicts.Of((CcsInjectionCheck.Key, true)) },
        _ => throw new ArgumentException(rule),
    };
}
