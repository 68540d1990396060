using System.Security.Cryptography;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// What <see cref="Tls12FullHandshake"/> needs to know about a suite it can finish, derived from the cipher-suite
/// registry rather than listed by hand: static RSA, DHE and ECDHE key exchange (any authentication, including
/// anonymous: the certificate is never checked) with AES-GCM, ChaCha20-Poly1305, or AES-/3DES-CBC with an
/// HMAC-SHA1/256/384. Export suites, PSK/SRP/static DH, RC4, Camellia, ARIA, SEED, IDEA and CCM are left out:
/// .NET's primitives do not cover them, and the assessment has already recorded that they are accepted.
/// </summary>
/// <param name="Code">The suite's wire value.</param>
/// <param name="KeyExchange">Rsa, Dhe or Ecdhe.</param>
/// <param name="Cipher">AesGcm, ChaCha20Poly1305, AesCbc or TripleDesEdeCbc.</param>
/// <param name="KeyLength">Bytes of the cipher key.</param>
/// <param name="MacLength">Bytes of the HMAC key and tag (0 for AEAD).</param>
/// <param name="FixedIvLength">Bytes of the implicit IV part in the key block (RFC 5288 §3: 4; RFC 7905 §2: 12; CBC in TLS 1.2: 0).</param>
/// <param name="Mac">The record HMAC hash (CBC suites).</param>
/// <param name="PrfHash">SHA-256 for every suite except those named …_SHA384 (RFC 5246 §5, RFC 5289 §3).</param>
internal sealed record Tls12CipherSpec(
    ushort Code,
    KeyExchange KeyExchange,
    BulkCipher Cipher,
    int KeyLength,
    int MacLength,
    int FixedIvLength,
    HashAlgorithmName Mac,
    HashAlgorithmName PrfHash)
{
    private static readonly Dictionary<ushort, Tls12CipherSpec> ByCode = CipherSuiteRegistry.All
        .Select(From).OfType<Tls12CipherSpec>().ToDictionary(s => s.Code);

    /// <summary>Every suite this client can finish, in a browser-like offer order: AEAD first, then ECDHE, DHE, RSA.</summary>
    public static IReadOnlyList<ushort> All { get; } = [.. ByCode.Values
        .OrderBy(s => s.IsAead ? 0 : 1)
        .ThenBy(s => s.KeyExchange switch { KeyExchange.Ecdhe => 0, KeyExchange.Dhe => 1, _ => 2 })
        .ThenBy(s => s.Code)
        .Select(s => s.Code)];

    /// <summary>The spec of <paramref name="code"/>, or null when this client cannot finish a handshake with it.</summary>
    public static Tls12CipherSpec? Find(ushort code) => ByCode.GetValueOrDefault(code);

    /// <summary>AEAD suites carry no MAC key; their nonce is built from the fixed IV and the sequence number.</summary>
    public bool IsAead => Cipher is BulkCipher.AesGcm or BulkCipher.ChaCha20Poly1305;

    private static Tls12CipherSpec? From(CipherSuiteInfo s)
    {
        if (s.Kind != SuiteKind.Standard || s.Flags.HasFlag(SuiteFlags.Export) || s.Flags.HasFlag(SuiteFlags.NotIana)
            || s.KeyExchange is not (KeyExchange.Rsa or KeyExchange.Dhe or KeyExchange.Ecdhe) || s.MaxVersion < TlsVersion.Tls12)
        {
            return null;
        }

        var prf = s.IanaName.EndsWith("_SHA384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        (HashAlgorithmName Hash, int Length)? mac = s.Mac switch
        {
            MacAlgorithm.Sha1 => (HashAlgorithmName.SHA1, 20),
            MacAlgorithm.Sha256 => (HashAlgorithmName.SHA256, 32),
            MacAlgorithm.Sha384 => (HashAlgorithmName.SHA384, 48),
            _ => null,
        };
        return s.Cipher switch
        {
            BulkCipher.AesGcm => new(s.Code, s.KeyExchange, s.Cipher, s.KeyBits / 8, 0, 4, default, prf),
            BulkCipher.ChaCha20Poly1305 => new(s.Code, s.KeyExchange, s.Cipher, 32, 0, 12, default, prf),
            BulkCipher.AesCbc when mac is { } m => new(s.Code, s.KeyExchange, s.Cipher, s.KeyBits / 8, m.Length, 0, m.Hash, prf),
            BulkCipher.TripleDesEdeCbc when mac is { } m => new(s.Code, s.KeyExchange, s.Cipher, 24, m.Length, 0, m.Hash, prf),
            _ => null,
        };
    }
}
