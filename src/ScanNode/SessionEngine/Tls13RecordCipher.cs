using System.Buffers.Binary;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// One direction of TLS 1.3 record protection (RFC 8446 §5.2–5.3) for the three AEAD suites a default client offers:
/// the key and IV from a traffic secret (§7.3), the nonce = IV XOR the 64-bit sequence number, the record header
/// as additional data, and the real content type after the plaintext, followed by optional zero padding.
/// </summary>
internal sealed class Tls13RecordCipher : IDisposable
{
    public const int TagLength = 16;
    private const int NonceLength = 12;

    /// <summary>TLS 1.3 forbids inner plaintext above 2^14 bytes (+1 for the type); ciphertext above 2^14 + 256 (§5.2).</summary>
    public const int MaxCiphertext = (1 << 14) + 256;

    private readonly IDisposable _aead;
    private ulong _sequence;

    private Tls13RecordCipher(IDisposable aead, byte[] key, byte[] iv)
    {
        _aead = aead;
        Key = key;
        Iv = iv;
    }

    public byte[] Key { get; }
    public byte[] Iv { get; }

    /// <summary>The suite's hash (§B.4): SHA-384 for TLS_AES_256_GCM_SHA384, SHA-256 for the others; null for a suite
    /// this engine does not do.</summary>
    public static HashAlgorithmName? HashOf(ushort suite) => suite switch
    {
        0x1301 or 0x1303 => HashAlgorithmName.SHA256,
        0x1302 => HashAlgorithmName.SHA384,
        _ => null,
    };

    /// <exception cref="ArgumentOutOfRangeException">A suite other than 0x1301–0x1303.</exception>
    public static Tls13RecordCipher Create(ushort suite, ReadOnlySpan<byte> trafficSecret)
    {
        var hash = HashOf(suite) ?? throw new ArgumentOutOfRangeException(nameof(suite), suite, "not a TLS 1.3 suite this engine does");
        var keyLength = suite == 0x1301 ? 16 : 32;
        var key = Tls13KeySchedule.ExpandLabel(hash, trafficSecret, "key", [], keyLength);
        var iv = Tls13KeySchedule.ExpandLabel(hash, trafficSecret, "iv", [], NonceLength);
        IDisposable aead = suite == 0x1303 ? new ChaCha20Poly1305(key) : new AesGcm(key, TagLength);
        return new Tls13RecordCipher(aead, key, iv);
    }

    /// <summary>One whole TLSCiphertext record: opaque_type application_data, legacy_record_version 0x0303.</summary>
    public byte[] Seal(TlsContentType innerType, ReadOnlySpan<byte> plaintext)
    {
        var length = plaintext.Length + 1 + TagLength;
        var record = new byte[TlsRecordHeader.Size + length];
        record[0] = (byte)TlsContentType.ApplicationData;
        record[1] = 3;
        record[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)length);
        var inner = new byte[plaintext.Length + 1];
        plaintext.CopyTo(inner);
        inner[^1] = (byte)innerType;
        Span<byte> nonce = stackalloc byte[NonceLength];
        NextNonce(nonce);
        var header = record.AsSpan(0, TlsRecordHeader.Size);
        var ciphertext = record.AsSpan(TlsRecordHeader.Size, inner.Length);
        var tag = record.AsSpan(TlsRecordHeader.Size + inner.Length, TagLength);
        switch (_aead)
        {
            case AesGcm gcm: gcm.Encrypt(nonce, inner, ciphertext, tag, header); break;
            case ChaCha20Poly1305 chacha: chacha.Encrypt(nonce, inner, ciphertext, tag, header); break;
        }

        return record;
    }

    /// <summary>The inner content type and plaintext of one record, or null when it does not authenticate or carries
    /// no content type (an all-zero inner plaintext, §5.4). The sequence number advances only on success.</summary>
    public (TlsContentType Type, byte[] Plaintext)? Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment)
    {
        if (fragment.Length < TagLength + 1 || fragment.Length > MaxCiphertext)
        {
            return null;
        }

        var inner = new byte[fragment.Length - TagLength];
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(_sequence, nonce);
        try
        {
            var ciphertext = fragment[..inner.Length];
            var tag = fragment[inner.Length..];
            switch (_aead)
            {
                case AesGcm gcm: gcm.Decrypt(nonce, ciphertext, tag, inner, header); break;
                case ChaCha20Poly1305 chacha: chacha.Decrypt(nonce, ciphertext, tag, inner, header); break;
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        _sequence++;
        var end = inner.AsSpan().LastIndexOfAnyExcept((byte)0);
        return end < 0 ? null : ((TlsContentType)inner[end], inner[..end]);
    }

    public void Dispose()
    {
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(Key);
    }

    private void NextNonce(Span<byte> nonce) => Nonce(_sequence++, nonce);

    /// <summary>per_record_nonce = the 64-bit sequence number, left-padded to iv_length, XOR write_iv (§5.3).</summary>
    private void Nonce(ulong sequence, Span<byte> nonce)
    {
        Iv.CopyTo(nonce);
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, sequence);
        for (var i = 0; i < 8; i++)
        {
            nonce[NonceLength - 8 + i] ^= seq[i];
        }
    }
}
