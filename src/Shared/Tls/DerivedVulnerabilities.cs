using System.Collections.Immutable;
using System.Globalization;

namespace XmppScanCluster.Shared.Tls;

/// <summary>Weaknesses that follow from the enumeration alone (no extra connection).</summary>
public enum DerivedWeakness
{
    /// <summary>POODLE (CVE-2014-3566): a CBC suite accepted at SSLv3.</summary>
    Poodle,
    /// <summary>SWEET32 (CVE-2016-2183): a 64-bit block cipher (3DES, DES, IDEA, RC2, Magma) accepted.</summary>
    Sweet32,
    /// <summary>FREAK (CVE-2015-0204): an RSA export suite accepted.</summary>
    Freak,
    /// <summary>Logjam (CVE-2015-4000): a DHE export suite accepted, a DH group below 1024 bits, or a 1024-bit
    /// group whose prime is a well-known one (weakdh.org: one precomputation breaks every server sharing it).</summary>
    Logjam,
    /// <summary>DROWN (CVE-2016-0800): SSLv2 enabled on this endpoint (key sharing with others is not checked).</summary>
    Drown,
    /// <summary>RC4 (RFC 7465) accepted.</summary>
    Rc4,
    /// <summary>BEAST (CVE-2011-3389): a CBC suite accepted at SSLv3 or TLS 1.0.</summary>
    Beast,
    /// <summary>No accepted suite has forward secrecy.</summary>
    NoForwardSecrecy,
    /// <summary>No accepted suite is AEAD.</summary>
    NoAead,
    /// <summary>An export-grade suite of any kind accepted.</summary>
    Export,
    /// <summary>A NULL-cipher suite accepted.</summary>
    NullCipher,
    /// <summary>An anonymous (unauthenticated) suite accepted.</summary>
    Anonymous,
}

/// <summary>One derived weakness: present or not, why, and the suites that show it.</summary>
/// <param name="Weakness">Which.</param>
/// <param name="Present">The enumeration shows it.</param>
/// <param name="Reason">A human sentence with the evidence ("TLS_RSA_WITH_3DES_EDE_CBC_SHA accepted at TLSv1.2").</param>
/// <param name="Suites">The accepted suites that show it, ascending.</param>
/// <param name="NotTested">Why absence is not established (the assessment failed, a version was inconclusive):
/// then the finding is "not tested", never "safe". Null when <paramref name="Present"/> is a fact.</param>
public sealed record DerivedFinding(DerivedWeakness Weakness, bool Present, string Reason, ImmutableArray<ushort> Suites,
    string? NotTested = null)
{
    /// <summary>Stable snake_case name for reports and events (<c>no_forward_secrecy</c>).</summary>
    public string Name => VulnerabilityFacts.NameOf(Weakness);
}

/// <summary>
/// Pure functions from enumeration facts to derived weaknesses. No thresholds beyond the definitions of
/// the attacks themselves; how much each one costs is grading's business.
/// </summary>
public static class VulnerabilityFacts
{
    /// <summary>
    /// <paramref name="findings"/> when the facts they derive from were not all established: what is present stays
    /// (the accepted suites prove it), every absence becomes "not tested" with <paramref name="reason"/>.
    /// </summary>
    public static ImmutableArray<DerivedFinding> NotEstablished(ImmutableArray<DerivedFinding> findings, string reason) =>
        [.. findings.Select(f => f.Present ? f : f with { NotTested = reason, Reason = "not tested: " + reason })];

    /// <summary>Every derived weakness, one finding each, in enum order.</summary>
    /// <param name="accepted">Accepted suites per version (SSLv3…TLS 1.3). Unknown codes are ignored.</param>
    /// <param name="dhGroupBits">Sizes of the finite-field DH groups seen in ServerKeyExchange messages.</param>
    /// <param name="ssl2Supported">The server completed an SSLv2 SERVER-HELLO with at least one cipher kind.</param>
    /// <param name="wellKnownDhGroupBits">Sizes of the DH groups whose prime is a published or widely shared
    /// one (RFC 2409/3526/5114/7919, server defaults): at 1024 bits these are the Logjam precomputation targets.</param>
    public static ImmutableArray<DerivedFinding> Derive(
        IReadOnlyDictionary<TlsVersion, IReadOnlyList<ushort>> accepted,
        IReadOnlyCollection<int> dhGroupBits,
        bool ssl2Supported,
        IReadOnlyCollection<int>? wellKnownDhGroupBits = null)
    {
        var all = new List<(TlsVersion Version, CipherSuiteInfo Suite)>();
        foreach (var (version, codes) in accepted)
        {
            foreach (var code in codes)
            {
                if (CipherSuiteRegistry.TryGet(code, out var s) && !s.IsSignaling)
                {
                    all.Add((version, s));
                }
            }
        }

        var anySuite = all.Count > 0;
        var b = ImmutableArray.CreateBuilder<DerivedFinding>();
        b.Add(Any(DerivedWeakness.Poodle, all, x => x.Version == TlsVersion.Ssl3 && x.Suite.Mode == CipherMode.Cbc,
            "CBC suites accepted at SSLv3", "no CBC suite at SSLv3"));
        b.Add(Any(DerivedWeakness.Sweet32, all, x => x.Suite.Is64BitBlock,
            "64-bit block cipher suites accepted", "no 64-bit block cipher suite"));
        b.Add(Any(DerivedWeakness.Freak, all, x => x.Suite.IsExport && x.Suite.KeyExchange == KeyExchange.Rsa,
            "RSA export suites accepted", "no RSA export suite"));
        b.Add(Logjam(all, dhGroupBits, wellKnownDhGroupBits ?? []));
        b.Add(new DerivedFinding(DerivedWeakness.Drown, ssl2Supported,
            ssl2Supported ? "SSLv2 enabled on this endpoint" : "SSLv2 not enabled on this endpoint (other servers sharing the key not checked)", []));
        b.Add(Any(DerivedWeakness.Rc4, all, x => x.Suite.IsRc4, "RC4 suites accepted", "no RC4 suite"));
        b.Add(Any(DerivedWeakness.Beast, all,
            x => x.Version is TlsVersion.Ssl3 or TlsVersion.Tls10 && x.Suite.Mode == CipherMode.Cbc,
            "CBC suites accepted at SSLv3/TLSv1.0", "no CBC suite at SSLv3/TLSv1.0"));
        b.Add(None(DerivedWeakness.NoForwardSecrecy, all, anySuite, x => x.Suite.ForwardSecrecy && !x.Suite.IsAnonymous,
            "no accepted suite has forward secrecy", "forward-secret suites accepted"));
        b.Add(None(DerivedWeakness.NoAead, all, anySuite, x => x.Suite.IsAead,
            "no accepted suite is AEAD", "AEAD suites accepted"));
        b.Add(Any(DerivedWeakness.Export, all, x => x.Suite.IsExport, "export suites accepted", "no export suite"));
        b.Add(Any(DerivedWeakness.NullCipher, all, x => x.Suite.IsNull, "NULL-cipher suites accepted", "no NULL-cipher suite"));
        b.Add(Any(DerivedWeakness.Anonymous, all, x => x.Suite.IsAnonymous, "anonymous suites accepted", "no anonymous suite"));
        return b.ToImmutable();
    }

    /// <summary>Stable snake_case name of a weakness.</summary>
    public static string NameOf(DerivedWeakness weakness) => weakness switch
    {
        DerivedWeakness.Poodle => "poodle",
        DerivedWeakness.Sweet32 => "sweet32",
        DerivedWeakness.Freak => "freak",
        DerivedWeakness.Logjam => "logjam",
        DerivedWeakness.Drown => "drown",
        DerivedWeakness.Rc4 => "rc4",
        DerivedWeakness.Beast => "beast",
        DerivedWeakness.NoForwardSecrecy => "no_forward_secrecy",
        DerivedWeakness.NoAead => "no_aead",
        DerivedWeakness.Export => "export",
        DerivedWeakness.NullCipher => "null_cipher",
        DerivedWeakness.Anonymous => "anonymous",
        _ => weakness.ToString().ToLowerInvariant(),
    };

    private static DerivedFinding Logjam(List<(TlsVersion Version, CipherSuiteInfo Suite)> all, IReadOnlyCollection<int> dhGroupBits,
        IReadOnlyCollection<int> wellKnownDhGroupBits)
    {
        var export = all.Where(x => x.Suite.IsExport && x.Suite.KeyExchange == KeyExchange.Dhe).ToList();
        var small = dhGroupBits.Where(bits => bits > 0 && bits < 1024).Distinct().Order().ToList();
        var common = wellKnownDhGroupBits.Where(bits => bits == 1024).Distinct().ToList();
        var reasons = new List<string>();
        if (export.Count > 0)
        {
            reasons.Add(Describe("DHE export suites accepted", export));
        }

        if (small.Count > 0)
        {
            reasons.Add("DH groups below 1024 bits: " + string.Join(", ", small.Select(x => x.ToString(CultureInfo.InvariantCulture))));
        }

        if (common.Count > 0)
        {
            reasons.Add("a well-known 1024-bit DH prime (shared by many servers: one precomputation breaks them all)");
        }

        var present = reasons.Count > 0;
        return new DerivedFinding(DerivedWeakness.Logjam, present,
            present ? string.Join("; ", reasons) : "no DHE export suite, no DH group below 1024 bits, no well-known 1024-bit prime", Codes(export));
    }

    private static DerivedFinding Any(DerivedWeakness weakness, List<(TlsVersion Version, CipherSuiteInfo Suite)> all,
        Func<(TlsVersion Version, CipherSuiteInfo Suite), bool> shows, string presentText, string absentText)
    {
        var hits = all.Where(shows).ToList();
        return hits.Count > 0
            ? new DerivedFinding(weakness, true, Describe(presentText, hits), Codes(hits))
            : new DerivedFinding(weakness, false, absentText, []);
    }

    /// <summary>Present when suites were accepted but none has the property; absent (with no evidence) when nothing was accepted.</summary>
    private static DerivedFinding None(DerivedWeakness weakness, List<(TlsVersion Version, CipherSuiteInfo Suite)> all, bool anySuite,
        Func<(TlsVersion Version, CipherSuiteInfo Suite), bool> has, string presentText, string absentText)
    {
        if (!anySuite)
        {
            return new DerivedFinding(weakness, false, "no suite accepted", []);
        }

        var good = all.Where(has).ToList();
        return good.Count == 0
            ? new DerivedFinding(weakness, true, presentText, Codes(all))
            : new DerivedFinding(weakness, false, absentText, []);
    }

    private static string Describe(string text, List<(TlsVersion Version, CipherSuiteInfo Suite)> hits)
    {
        var parts = hits
            .GroupBy(h => h.Suite.Code)
            .OrderBy(g => g.Key)
            .Select(g => g.First().Suite.IanaName + " at " + string.Join("/", g.Select(x => x.Version).Distinct().Order().Select(v => v.Name())));
        return text + ": " + string.Join(", ", parts);
    }

    private static ImmutableArray<ushort> Codes(List<(TlsVersion Version, CipherSuiteInfo Suite)> hits) =>
        [.. hits.Select(h => h.Suite.Code).Distinct().Order()];
}
