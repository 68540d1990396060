using System.Collections.Frozen;

namespace XmppScanCluster.Shared.Tls;

/// <summary>A TLS SignatureScheme (RFC 8446 §4.2.3), or a TLS 1.2 (hash, signature) pair read as one code.</summary>
/// <param name="Code">The two-byte wire value (TLS 1.2: hash byte then signature byte, RFC 5246 §7.4.1.4.1).</param>
/// <param name="Name">The IANA name, e.g. <c>rsa_pss_rsae_sha256</c>.</param>
/// <param name="IsLegacy">SHA-1, MD5, SHA-224 or DSA: not allowed in TLS 1.3 signatures.</param>
public sealed record SignatureScheme(ushort Code, string Name, bool IsLegacy)
{
    public override string ToString() => $"0x{Code:X4} {Name}";
}

/// <summary>The TLS SignatureScheme registry (IANA tls-signaturescheme; RFC 8446, 8603, 8734, 8998,
/// draft-ietf-tls-mldsa) plus the TLS 1.2 MD5/SHA-224/DSA pairs of RFC 5246 that servers still send.</summary>
public static class SignatureSchemes
{
    public const ushort RsaPkcs1Sha256 = 0x0401;
    public const ushort EcdsaSecp256r1Sha256 = 0x0403;
    public const ushort RsaPssRsaeSha256 = 0x0804;
    public const ushort Ed25519 = 0x0807;

    private static SignatureScheme S(ushort c, string n, bool legacy = false) => new(c, n, legacy);

    private static readonly SignatureScheme[] Rows =
    [
        S(0x0101, "rsa_md5", true), S(0x0102, "dsa_md5", true), S(0x0103, "ecdsa_md5", true),
        S(0x0201, "rsa_pkcs1_sha1", true), S(0x0202, "dsa_sha1", true), S(0x0203, "ecdsa_sha1", true),
        S(0x0301, "rsa_sha224", true), S(0x0302, "dsa_sha224", true), S(0x0303, "ecdsa_sha224", true),
        S(0x0401, "rsa_pkcs1_sha256"), S(0x0402, "dsa_sha256", true), S(0x0403, "ecdsa_secp256r1_sha256"),
        S(0x0501, "rsa_pkcs1_sha384"), S(0x0502, "dsa_sha384", true), S(0x0503, "ecdsa_secp384r1_sha384"),
        S(0x0601, "rsa_pkcs1_sha512"), S(0x0602, "dsa_sha512", true), S(0x0603, "ecdsa_secp521r1_sha512"),
        S(0x0708, "sm2sig_sm3"),
        S(0x0709, "gostr34102012_256a"), S(0x070A, "gostr34102012_256b"), S(0x070B, "gostr34102012_256c"),
        S(0x070C, "gostr34102012_256d"), S(0x070D, "gostr34102012_512a"), S(0x070E, "gostr34102012_512b"),
        S(0x070F, "gostr34102012_512c"),
        S(0x0804, "rsa_pss_rsae_sha256"), S(0x0805, "rsa_pss_rsae_sha384"), S(0x0806, "rsa_pss_rsae_sha512"),
        S(0x0807, "ed25519"), S(0x0808, "ed448"),
        S(0x0809, "rsa_pss_pss_sha256"), S(0x080A, "rsa_pss_pss_sha384"), S(0x080B, "rsa_pss_pss_sha512"),
        S(0x081A, "ecdsa_brainpoolP256r1tls13_sha256"), S(0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
        S(0x081C, "ecdsa_brainpoolP512r1tls13_sha512"),
        S(0x0904, "mldsa44"), S(0x0905, "mldsa65"), S(0x0906, "mldsa87"),
    ];

    private static readonly FrozenDictionary<ushort, SignatureScheme> ByCode = Rows.ToFrozenDictionary(r => r.Code);

    /// <summary>Every known scheme, in code order.</summary>
    public static IReadOnlyList<SignatureScheme> All { get; } = Rows;

    /// <summary>Looks up a scheme by code.</summary>
    public static bool TryGet(ushort code, out SignatureScheme scheme) => ByCode.TryGetValue(code, out scheme!);

    /// <summary>The scheme's name or <c>0xABCD</c>.</summary>
    public static string NameOf(ushort code) =>
        ByCode.TryGetValue(code, out var s) ? s.Name : "0x" + code.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
