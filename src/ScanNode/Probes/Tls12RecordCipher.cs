using System.Buffers.Binary;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// One direction of TLS 1.2 record protection for a <see cref="Tls12CipherSpec"/>: AEAD (AES-GCM, RFC 5288 §3;
/// ChaCha20-Poly1305, RFC 7905 §2) or CBC with HMAC (MAC-then-encrypt, explicit IV, RFC 5246 §6.2.3.2).
/// The sequence number is the caller's. <see cref="Open"/> returns null when a fragment does not authenticate.
/// </summary>
internal abstract class Tls12RecordCipher : IDisposable
{
    /// <summary>The cipher for one direction, from its slices of the key block.</summary>
    public static Tls12RecordCipher Create(Tls12CipherSpec spec, byte[] macKey, byte[] key, byte[] fixedIv) => spec.Cipher switch
    {
        BulkCipher.AesGcm => new Aead(new AesGcm(key, Aead.TagLength), fixedIv, explicitNonce: true),
        BulkCipher.ChaCha20Poly1305 => new Aead(new ChaCha20Poly1305(key), fixedIv, explicitNonce: false),
        BulkCipher.TripleDesEdeCbc => new Cbc(TripleDES.Create(), key, macKey, spec.Mac),
        _ => new Cbc(Aes.Create(), key, macKey, spec.Mac),
    };

    /// <summary>The protected fragment of one record.</summary>
    public abstract byte[] Seal(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> plaintext);

    /// <summary>The plaintext of one fragment, or null if it does not authenticate.</summary>
    public abstract byte[]? Open(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> fragment);

    public abstract void Dispose();

    /// <summary>seq_num(8) + type(1) + version(2) + length(2): the AEAD additional_data and the HMAC prefix (RFC 5246 §6.2.3).</summary>
    protected static byte[] Header(ulong seq, TlsContentType type, ushort version, int length)
    {
        var ad = new byte[13];
        BinaryPrimitives.WriteUInt64BigEndian(ad, seq);
        ad[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(ad.AsSpan(9), version);
        BinaryPrimitives.WriteUInt16BigEndian(ad.AsSpan(11), (ushort)length);
        return ad;
    }

    private sealed class Aead(IDisposable cipher, byte[] fixedIv, bool explicitNonce) : Tls12RecordCipher
    {
        public const int TagLength = 16;

        private int ExplicitLength => explicitNonce ? 8 : 0;

        public override byte[] Seal(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> plaintext)
        {
            var fragment = new byte[ExplicitLength + plaintext.Length + TagLength];
            if (explicitNonce)
            {
                BinaryPrimitives.WriteUInt64BigEndian(fragment, seq); // GCMNonce.nonce_explicit = seq_num (unique, RFC 5288 §3)
            }

            var nonce = Nonce(seq);
            var ad = Header(seq, type, version, plaintext.Length);
            var ct = fragment.AsSpan(ExplicitLength, plaintext.Length);
            var tag = fragment.AsSpan(ExplicitLength + plaintext.Length);
            switch (cipher)
            {
                case AesGcm gcm:
                    gcm.Encrypt(nonce, plaintext, ct, tag, ad);
                    break;
                case ChaCha20Poly1305 chacha:
                    chacha.Encrypt(nonce, plaintext, ct, tag, ad);
                    break;
            }

            return fragment;
        }

        public override byte[]? Open(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> fragment)
        {
            if (fragment.Length < ExplicitLength + TagLength)
            {
                return null;
            }

            var length = fragment.Length - ExplicitLength - TagLength;
            var nonce = explicitNonce ? [.. fixedIv, .. fragment[..8]] : Nonce(seq);
            var plaintext = new byte[length];
            var ad = Header(seq, type, version, length);
            try
            {
                switch (cipher)
                {
                    case AesGcm gcm:
                        gcm.Decrypt(nonce, fragment.Slice(ExplicitLength, length), fragment[^TagLength..], plaintext, ad);
                        break;
                    case ChaCha20Poly1305 chacha:
                        chacha.Decrypt(nonce, fragment.Slice(ExplicitLength, length), fragment[^TagLength..], plaintext, ad);
                        break;
                }
            }
            catch (CryptographicException)
            {
                return null; // AuthenticationTagMismatchException: not encrypted under our keys
            }

            return plaintext;
        }

        /// <summary>GCM: salt(4) + seq(8). ChaCha20: the 12-byte IV XOR the sequence number left-padded (RFC 7905 §2).</summary>
        private byte[] Nonce(ulong seq)
        {
            if (explicitNonce)
            {
                var n = new byte[12];
                fixedIv.CopyTo(n, 0);
                BinaryPrimitives.WriteUInt64BigEndian(n.AsSpan(4), seq);
                return n;
            }

            var nonce = (byte[])fixedIv.Clone();
            Span<byte> s = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(s, seq);
            for (var i = 0; i < 8; i++)
            {
                nonce[4 + i] ^= s[i];
            }

            return nonce;
        }

        public override void Dispose() => cipher.Dispose();
    }

    /// <summary>
    /// <code>
    /// struct {                                       RFC 5246 §6.2.3.2
    ///     opaque IV[SecurityParameters.record_iv_length];
    ///     block-ciphered struct {
    ///         opaque content[TLSCompressed.length];
    ///         opaque MAC[SecurityParameters.mac_length];
    ///         uint8 padding[GenericBlockCipher.padding_length];
    ///         uint8 padding_length;
    ///     };
    /// } GenericBlockCipher;
    /// </code>
    /// MAC = HMAC(MAC_write_key, seq_num + type + version + length + content) (§6.2.3.1).
    /// </summary>
    private sealed class Cbc : Tls12RecordCipher
    {
        private readonly SymmetricAlgorithm _cipher;
        private readonly byte[] _macKey;
        private readonly HashAlgorithmName _mac;
        private readonly int _block;

        public Cbc(SymmetricAlgorithm cipher, byte[] key, byte[] macKey, HashAlgorithmName mac)
        {
            _cipher = cipher;
            _cipher.Key = key;
            _macKey = macKey;
            _mac = mac;
            _block = cipher.BlockSize / 8;
        }

        public override byte[] Seal(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> plaintext)
        {
            var mac = Mac(seq, type, version, plaintext);
            var paddingLength = _block - 1 - (plaintext.Length + mac.Length) % _block;
            var data = new byte[plaintext.Length + mac.Length + paddingLength + 1];
            plaintext.CopyTo(data);
            mac.CopyTo(data, plaintext.Length);
            data.AsSpan(plaintext.Length + mac.Length).Fill((byte)paddingLength); // padding and padding_length alike
            var iv = RandomNumberGenerator.GetBytes(_block);
            return [.. iv, .. _cipher.EncryptCbc(data, iv, PaddingMode.None)];
        }

        public override byte[]? Open(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> fragment)
        {
            var macLength = _macKey.Length;
            if (fragment.Length < 2 * _block || fragment.Length % _block != 0)
            {
                return null;
            }

            var data = _cipher.DecryptCbc(fragment[_block..], fragment[.._block], PaddingMode.None);
            var paddingLength = data[^1];
            var contentLength = data.Length - 1 - paddingLength - macLength;
            if (contentLength < 0 || data.AsSpan(data.Length - 1 - paddingLength).ContainsAnyExcept(paddingLength))
            {
                return null;
            }

            var content = data[..contentLength];
            var expected = Mac(seq, type, version, content);
            return CryptographicOperations.FixedTimeEquals(expected, data.AsSpan(contentLength, macLength)) ? content : null;
        }

        private byte[] Mac(ulong seq, TlsContentType type, ushort version, ReadOnlySpan<byte> content)
        {
            using var hmac = IncrementalHash.CreateHMAC(_mac, _macKey);
            hmac.AppendData(Header(seq, type, version, content.Length));
            hmac.AppendData(content);
            return hmac.GetHashAndReset();
        }

        public override void Dispose()
        {
            _cipher.Dispose();
            CryptographicOperations.ZeroMemory(_macKey);
        }
    }
}
