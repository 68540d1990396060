using System.Collections.Frozen;

namespace XmppScanCluster.Shared.Tls;

/// <summary>
/// Lookup of SSLv3/TLS cipher suites by wire code: every IANA-registered suite, the TLS 1.3 suites, the two
/// signalling values and a few well-known non-IANA values. Unknown codes are legal on the wire and simply
/// not found.
/// </summary>
public static class CipherSuiteRegistry
{
    private static readonly FrozenDictionary<ushort, CipherSuiteInfo> ByCode =
        CipherSuiteTable.Rows.ToFrozenDictionary(s => s.Code);

    private static readonly FrozenDictionary<string, CipherSuiteInfo> ByName = BuildNameIndex();

    /// <summary>Every entry, in code order.</summary>
    public static IReadOnlyList<CipherSuiteInfo> All { get; } = [.. CipherSuiteTable.Rows.OrderBy(s => s.Code)];

    /// <summary>Looks up a suite by its two-byte code.</summary>
    public static bool TryGet(ushort code, out CipherSuiteInfo suite) => ByCode.TryGetValue(code, out suite!);

    /// <summary>Looks up a suite by IANA or OpenSSL name (case-insensitive).</summary>
    public static bool TryGetByName(string name, out CipherSuiteInfo suite) => ByName.TryGetValue(name, out suite!);

    /// <summary>The suite for <paramref name="code"/>, or null.</summary>
    public static CipherSuiteInfo? Find(ushort code) => ByCode.GetValueOrDefault(code);

    /// <summary>A human name for any code: the registry name or <c>0xABCD</c>.</summary>
    public static string NameOf(ushort code) =>
        ByCode.TryGetValue(code, out var s) ? s.IanaName : "0x" + code.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Suites (not signalling values) that can be negotiated at <paramref name="version"/>.</summary>
    public static IReadOnlyList<CipherSuiteInfo> DefinedFor(TlsVersion version) =>
        [.. All.Where(s => !s.IsSignaling && s.IsDefinedFor(version))];

    /// <summary>RFC 8701 GREASE values (0x0A0A, 0x1A1A, … 0xFAFA), reserved for cipher suites, groups, extensions.</summary>
    public static bool IsGrease(ushort code) => (code & 0x0F0F) == 0x0A0A && (code >> 8) == (code & 0xFF);

    private static FrozenDictionary<string, CipherSuiteInfo> BuildNameIndex()
    {
        var d = new Dictionary<string, CipherSuiteInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in CipherSuiteTable.Rows)
        {
            d.TryAdd(s.IanaName, s);
            if (s.OpenSslName is { } o)
            {
                d.TryAdd(o, s);
            }
        }

        return d.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
