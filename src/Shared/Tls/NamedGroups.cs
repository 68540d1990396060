using System.Collections.Frozen;

namespace XmppScanCluster.Shared.Tls;

/// <summary>What kind of key exchange a named group is.</summary>
public enum NamedGroupKind
{
    /// <summary>Elliptic curve over a prime or binary field, or a Montgomery curve (X25519, X448).</summary>
    EllipticCurve,
    /// <summary>RFC 7919 finite-field Diffie-Hellman group.</summary>
    FiniteField,
    /// <summary>A post-quantum KEM on its own (ML-KEM).</summary>
    PostQuantum,
    /// <summary>A classical + post-quantum hybrid (X25519MLKEM768).</summary>
    Hybrid,
    /// <summary>RFC 8422 arbitrary_explicit_* pseudo-groups.</summary>
    Explicit,
}

/// <summary>A TLS supported group (RFC 8446 §4.2.7, RFC 8422 §5.1.1, RFC 7919).</summary>
/// <param name="Code">The two-byte wire value.</param>
/// <param name="Name">The IANA name, e.g. <c>secp256r1</c>, <c>x25519</c>, <c>X25519MLKEM768</c>.</param>
/// <param name="Bits">Field/group size in bits (for hybrids, the classical part).</param>
/// <param name="Kind">Curve, finite field, post-quantum or hybrid.</param>
/// <param name="IsObsolete">Deprecated by RFC 8422 §5.1.1 / RFC 8446 or a replaced draft.</param>
public sealed record NamedGroup(ushort Code, string Name, int Bits, NamedGroupKind Kind, bool IsObsolete)
{
    public override string ToString() => $"0x{Code:X4} {Name}";
}

/// <summary>
/// The TLS Supported Groups registry (IANA tls-parameters-8; RFC 8422, 7919, 8446, 8734, 9189, 8998,
/// draft-ietf-tls-ecdhe-mlkem, draft-connolly-tls-mlkem-key-agreement). Codes 1–22 are the RFC 4492 curves
/// RFC 8422 deprecated.
/// </summary>
public static class NamedGroups
{
    public const ushort Secp256r1 = 0x0017;
    public const ushort Secp384r1 = 0x0018;
    public const ushort Secp521r1 = 0x0019;
    public const ushort X25519 = 0x001D;
    public const ushort X448 = 0x001E;
    public const ushort Ffdhe2048 = 0x0100;
    public const ushort Ffdhe3072 = 0x0101;
    public const ushort X25519MlKem768 = 0x11EC;

    private static NamedGroup Ec(ushort c, string n, int b, bool obsolete = false) => new(c, n, b, NamedGroupKind.EllipticCurve, obsolete);

    private static readonly NamedGroup[] Rows =
    [
        Ec(1, "sect163k1", 163, true), Ec(2, "sect163r1", 163, true), Ec(3, "sect163r2", 163, true),
        Ec(4, "sect193r1", 193, true), Ec(5, "sect193r2", 193, true), Ec(6, "sect233k1", 233, true),
        Ec(7, "sect233r1", 233, true), Ec(8, "sect239k1", 239, true), Ec(9, "sect283k1", 283, true),
        Ec(10, "sect283r1", 283, true), Ec(11, "sect409k1", 409, true), Ec(12, "sect409r1", 409, true),
        Ec(13, "sect571k1", 571, true), Ec(14, "sect571r1", 571, true), Ec(15, "secp160k1", 160, true),
        Ec(16, "secp160r1", 160, true), Ec(17, "secp160r2", 160, true), Ec(18, "secp192k1", 192, true),
        Ec(19, "secp192r1", 192, true), Ec(20, "secp224k1", 224, true), Ec(21, "secp224r1", 224, true),
        Ec(22, "secp256k1", 256, true),
        Ec(23, "secp256r1", 256), Ec(24, "secp384r1", 384), Ec(25, "secp521r1", 521),
        Ec(26, "brainpoolP256r1", 256), Ec(27, "brainpoolP384r1", 384), Ec(28, "brainpoolP512r1", 512),
        Ec(29, "x25519", 255), Ec(30, "x448", 448),
        Ec(31, "brainpoolP256r1tls13", 256), Ec(32, "brainpoolP384r1tls13", 384), Ec(33, "brainpoolP512r1tls13", 512),
        Ec(34, "GC256A", 256), Ec(35, "GC256B", 256), Ec(36, "GC256C", 256), Ec(37, "GC256D", 256),
        Ec(38, "GC512A", 512), Ec(39, "GC512B", 512), Ec(40, "GC512C", 512), Ec(41, "curveSM2", 256),
        new(0x0100, "ffdhe2048", 2048, NamedGroupKind.FiniteField, false),
        new(0x0101, "ffdhe3072", 3072, NamedGroupKind.FiniteField, false),
        new(0x0102, "ffdhe4096", 4096, NamedGroupKind.FiniteField, false),
        new(0x0103, "ffdhe6144", 6144, NamedGroupKind.FiniteField, false),
        new(0x0104, "ffdhe8192", 8192, NamedGroupKind.FiniteField, false),
        new(0x0200, "MLKEM512", 0, NamedGroupKind.PostQuantum, false),
        new(0x0201, "MLKEM768", 0, NamedGroupKind.PostQuantum, false),
        new(0x0202, "MLKEM1024", 0, NamedGroupKind.PostQuantum, false),
        new(0x11EB, "SecP256r1MLKEM768", 256, NamedGroupKind.Hybrid, false),
        new(0x11EC, "X25519MLKEM768", 255, NamedGroupKind.Hybrid, false),
        new(0x11ED, "SecP384r1MLKEM1024", 384, NamedGroupKind.Hybrid, false),
        new(0x6399, "X25519Kyber768Draft00", 255, NamedGroupKind.Hybrid, true),
        new(0x639A, "SecP256r1Kyber768Draft00", 256, NamedGroupKind.Hybrid, true),
        new(0xFF01, "arbitrary_explicit_prime_curves", 0, NamedGroupKind.Explicit, true),
        new(0xFF02, "arbitrary_explicit_char2_curves", 0, NamedGroupKind.Explicit, true),
    ];

    private static readonly FrozenDictionary<ushort, NamedGroup> ByCode = Rows.ToFrozenDictionary(r => r.Code);

    /// <summary>Every known group, in code order.</summary>
    public static IReadOnlyList<NamedGroup> All { get; } = Rows;

    /// <summary>Looks up a group by code.</summary>
    public static bool TryGet(ushort code, out NamedGroup group) => ByCode.TryGetValue(code, out group!);

    /// <summary>The group's name or <c>0xABCD</c>.</summary>
    public static string NameOf(ushort code) =>
        ByCode.TryGetValue(code, out var g) ? g.Name : "0x" + code.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
