using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Just enough TLS 1.2 key schedule and record protection to finish one handshake with an AES-128-GCM suite
/// (TLS_ECDHE_*/TLS_RSA_WITH_AES_128_GCM_SHA256) and exchange a few records — what
/// <see cref="ClientRenegotiationProbe"/> needs and nothing more. Not a TLS implementation: the server's
/// certificate and signature are never checked, nothing secret is kept after the probe.
/// </summary>
internal sealed class Tls12SessionKeys : IDisposable
{
    private const int KeyLength = 16;      // AES-128
    private const int SaltLength = 4;      // GCMNonce.salt (RFC 5288 §3)
    private const int ExplicitNonceLength = 8;
    private const int TagLength = 16;

    private readonly AesGcm _clientWrite;
    private readonly AesGcm _serverWrite;
    private readonly byte[] _clientSalt;
    private readonly byte[] _serverSalt;
    private ulong _clientSeq;
    private ulong _serverSeq;

    private Tls12SessionKeys(byte[] master, byte[] keyBlock)
    {
        MasterSecret = master;
        // key_block = client_write_key, server_write_key, client_write_IV, server_write_IV (RFC 5246 §6.3; no MAC keys for AEAD).
        _clientWrite = new AesGcm(keyBlock.AsSpan(0, KeyLength), TagLength);
        _serverWrite = new AesGcm(keyBlock.AsSpan(KeyLength, KeyLength), TagLength);
        _clientSalt = keyBlock[(2 * KeyLength)..(2 * KeyLength + SaltLength)];
        _serverSalt = keyBlock[(2 * KeyLength + SaltLength)..(2 * KeyLength + 2 * SaltLength)];
    }

    /// <summary>The 48-byte master secret.</summary>
    public byte[] MasterSecret { get; }

    /// <summary>
    /// master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
    /// (RFC 5246 §8.1), then key_block = PRF(master_secret, "key expansion", server_random + client_random).
    /// </summary>
    public static Tls12SessionKeys Derive(ReadOnlySpan<byte> preMaster, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        var master = Prf(preMaster, "master secret", [.. clientRandom, .. serverRandom], 48);
        var keyBlock = Prf(master, "key expansion", [.. serverRandom, .. clientRandom], 2 * KeyLength + 2 * SaltLength);
        return new Tls12SessionKeys(master, keyBlock);
    }

    /// <summary>verify_data = PRF(master_secret, finished_label, SHA-256(handshake_messages))[0..11] (RFC 5246 §7.4.9).</summary>
    public byte[] VerifyData(string label, ReadOnlySpan<byte> transcript) =>
        Prf(MasterSecret, label, SHA256.HashData(transcript), 12);

    /// <summary>
    /// A protected record (RFC 5288 §3, RFC 5246 §6.2.3.3): explicit nonce (the sequence number), then
    /// AES-GCM(plaintext) with additional_data = seq_num + type + version + length, then the tag.
    /// </summary>
    public byte[] Protect(TlsContentType type, ushort version, ReadOnlySpan<byte> plaintext)
    {
        var fragment = new byte[ExplicitNonceLength + plaintext.Length + TagLength];
        BinaryPrimitives.WriteUInt64BigEndian(fragment, _clientSeq);
        var nonce = Nonce(_clientSalt, fragment.AsSpan(0, ExplicitNonceLength));
        _clientWrite.Encrypt(nonce, plaintext, fragment.AsSpan(ExplicitNonceLength, plaintext.Length),
            fragment.AsSpan(ExplicitNonceLength + plaintext.Length), AdditionalData(_clientSeq, type, version, plaintext.Length));
        _clientSeq++;
        var record = new byte[TlsRecordHeader.Size + fragment.Length];
        record[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), version);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)fragment.Length);
        fragment.CopyTo(record, TlsRecordHeader.Size);
        return record;
    }

    /// <summary>Decrypts one record fragment from the server; null if it does not authenticate.</summary>
    public byte[]? Unprotect(TlsRecordHeader header, ReadOnlySpan<byte> fragment)
    {
        if (fragment.Length < ExplicitNonceLength + TagLength)
        {
            return null;
        }

        var length = fragment.Length - ExplicitNonceLength - TagLength;
        var plaintext = new byte[length];
        try
        {
            _serverWrite.Decrypt(Nonce(_serverSalt, fragment[..ExplicitNonceLength]), fragment.Slice(ExplicitNonceLength, length),
                fragment[^TagLength..], plaintext, AdditionalData(_serverSeq, header.ContentType, header.Version, length));
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException: not encrypted under our keys.
            return null;
        }

        _serverSeq++;
        return plaintext;
    }

    public void Dispose()
    {
        _clientWrite.Dispose();
        _serverWrite.Dispose();
        CryptographicOperations.ZeroMemory(MasterSecret);
    }

    /// <summary>PRF(secret, label, seed) = P_SHA256(secret, label + seed) (RFC 5246 §5).</summary>
    public static byte[] Prf(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] labelSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        var a = labelSeed.AsSpan().ToArray();
        var offset = 0;
        while (offset < length)
        {
            a = HMACSHA256.HashData(secret, a);                         // A(i) = HMAC(secret, A(i-1))
            var block = HMACSHA256.HashData(secret, [.. a, .. labelSeed]); // HMAC(secret, A(i) + seed)
            var n = Math.Min(block.Length, length - offset);
            block.AsSpan(0, n).CopyTo(output.AsSpan(offset));
            offset += n;
        }

        return output;
    }

    private static byte[] Nonce(byte[] salt, ReadOnlySpan<byte> explicitNonce) => [.. salt, .. explicitNonce];

    private static byte[] AdditionalData(ulong seq, TlsContentType type, ushort version, int length)
    {
        var ad = new byte[13];
        BinaryPrimitives.WriteUInt64BigEndian(ad, seq);
        ad[8] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(ad.AsSpan(9), version);
        BinaryPrimitives.WriteUInt16BigEndian(ad.AsSpan(11), (ushort)length);
        return ad;
    }
}
