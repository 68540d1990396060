using System.Collections.Frozen;

namespace XmppScanCluster.Shared.Tls;

/// <summary>
/// An SSL 2.0 CIPHER-KIND: a three-byte code (draft-hickman-netscape-ssl-00 Appendix C), all with MD5 MACs
/// and RSA key exchange. Separate from <see cref="CipherSuiteInfo"/> because the code space and the
/// protocol differ.
/// </summary>
/// <param name="Code">The 24-bit wire value, e.g. 0x010080.</param>
/// <param name="Name">The draft's name, e.g. <c>SSL_CK_RC4_128_WITH_MD5</c>.</param>
/// <param name="OpenSslName">OpenSSL's name, e.g. <c>RC4-MD5</c>.</param>
/// <param name="Cipher">Bulk cipher.</param>
/// <param name="KeyBits">Effective secret key bits (export 40; 3DES 112).</param>
/// <param name="IsExport">Export-grade.</param>
public sealed record Ssl2CipherSpec(int Code, string Name, string OpenSslName, BulkCipher Cipher, int KeyBits, bool IsExport)
{
    public override string ToString() => $"0x{Code:X6} {Name}";
}

/// <summary>The SSL 2.0 cipher kinds (Netscape draft Appendix C, plus RC4_64 that OpenSSL knew).</summary>
public static class Ssl2CipherSpecs
{
    private static readonly Ssl2CipherSpec[] Rows =
    [
        new(0x010080, "SSL_CK_RC4_128_WITH_MD5", "RC4-MD5", BulkCipher.Rc4, 128, false),
        new(0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "EXP-RC4-MD5", BulkCipher.Rc4, 40, true),
        new(0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5", "RC2-CBC-MD5", BulkCipher.Rc2Cbc, 128, false),
        new(0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", "EXP-RC2-CBC-MD5", BulkCipher.Rc2Cbc, 40, true),
        new(0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5", "IDEA-CBC-MD5", BulkCipher.IdeaCbc, 128, false),
        new(0x060040, "SSL_CK_DES_64_CBC_WITH_MD5", "DES-CBC-MD5", BulkCipher.DesCbc, 56, false),
        new(0x0700C0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "DES-CBC3-MD5", BulkCipher.TripleDesEdeCbc, 112, false),
        new(0x080080, "SSL_CK_RC4_64_WITH_MD5", "RC4-64-MD5", BulkCipher.Rc4, 64, false),
    ];

    private static readonly FrozenDictionary<int, Ssl2CipherSpec> ByCode = Rows.ToFrozenDictionary(r => r.Code);

    /// <summary>Every known SSL 2.0 cipher kind.</summary>
    public static IReadOnlyList<Ssl2CipherSpec> All { get; } = Rows;

    /// <summary>Looks up a cipher kind by its 24-bit code.</summary>
    public static bool TryGet(int code, out Ssl2CipherSpec spec) => ByCode.TryGetValue(code, out spec!);
}
