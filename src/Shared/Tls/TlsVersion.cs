namespace XmppScanCluster.Shared.Tls;

/// <summary>
/// A protocol version as it appears on the wire: SSLv2 uses 0x0002 (draft-hickman-netscape-ssl-00),
/// SSLv3 0x0300 (RFC 6101), TLS 1.0–1.3 0x0301–0x0304 (RFC 2246, 4346, 5246, 8446).
/// </summary>
public enum TlsVersion : ushort
{
    Ssl2 = 0x0002,
    Ssl3 = 0x0300,
    Tls10 = 0x0301,
    Tls11 = 0x0302,
    Tls12 = 0x0303,
    Tls13 = 0x0304,
}

/// <summary>Stable names for <see cref="TlsVersion"/> values (reports, JSON, events).</summary>
public static class TlsVersionNames
{
    /// <summary>Every version in ascending order.</summary>
    public static IReadOnlyList<TlsVersion> All { get; } =
        [TlsVersion.Ssl2, TlsVersion.Ssl3, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13];

    /// <summary><c>SSLv2</c>, <c>SSLv3</c>, <c>TLSv1.0</c> … <c>TLSv1.3</c>; a hex form for anything else.</summary>
    public static string Name(this TlsVersion version) => version switch
    {
        TlsVersion.Ssl2 => "SSLv2",
        TlsVersion.Ssl3 => "SSLv3",
        TlsVersion.Tls10 => "TLSv1.0",
        TlsVersion.Tls11 => "TLSv1.1",
        TlsVersion.Tls12 => "TLSv1.2",
        TlsVersion.Tls13 => "TLSv1.3",
        _ => "0x" + ((ushort)version).ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The version <see cref="Name"/> gives <paramref name="name"/>; null for any other text.</summary>
    public static TlsVersion? FromName(string? name) => All.Select(v => (TlsVersion?)v).FirstOrDefault(v => v!.Value.Name() == name);

    /// <summary>True for the six versions this scanner knows.</summary>
    public static bool IsKnown(ushort wire) => wire is 0x0002 or (>= 0x0300 and <= 0x0304);
}
