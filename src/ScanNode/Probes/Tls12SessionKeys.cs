using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Just enough TLS 1.2 key schedule and record protection to finish one handshake with a
/// <see cref="Tls12CipherSpec"/> suite and exchange a few records — what <see cref="ClientRenegotiationProbe"/>
/// and <see cref="SessionResumptionProbe"/> need and nothing more. Not a TLS implementation: the server's
/// certificate and signature are never checked, nothing secret is kept after the probe.
/// </summary>
internal sealed class Tls12SessionKeys : IDisposable
{
    private readonly Tls12RecordCipher _clientWrite;
    private readonly Tls12RecordCipher _serverWrite;
    private readonly HashAlgorithmName _prfHash;
    private ulong _clientSeq;
    private ulong _serverSeq;

    private Tls12SessionKeys(Tls12CipherSpec spec, byte[] master, byte[] keyBlock)
    {
        MasterSecret = master;
        _prfHash = spec.PrfHash;
        // key_block = client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
        // client_write_IV, server_write_IV (RFC 5246 §6.3; AEAD suites have no MAC keys).
        var at = 0;
        byte[] Next(int n)
        {
            var slice = keyBlock[at..(at + n)];
            at += n;
            return slice;
        }

        var (clientMac, serverMac) = (Next(spec.MacLength), Next(spec.MacLength));
        var (clientKey, serverKey) = (Next(spec.KeyLength), Next(spec.KeyLength));
        var (clientIv, serverIv) = (Next(spec.FixedIvLength), Next(spec.FixedIvLength));
        _clientWrite = Tls12RecordCipher.Create(spec, clientMac, clientKey, clientIv);
        _serverWrite = Tls12RecordCipher.Create(spec, serverMac, serverKey, serverIv);
        CryptographicOperations.ZeroMemory(keyBlock);
    }

    /// <summary>The 48-byte master secret.</summary>
    public byte[] MasterSecret { get; }

    /// <summary>
    /// master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
    /// (RFC 5246 §8.1), then key_block = PRF(master_secret, "key expansion", server_random + client_random).
    /// </summary>
    public static Tls12SessionKeys Derive(Tls12CipherSpec spec, ReadOnlySpan<byte> preMaster, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        var master = Prf(spec.PrfHash, preMaster, "master secret", [.. clientRandom, .. serverRandom], 48);
        var length = 2 * (spec.MacLength + spec.KeyLength + spec.FixedIvLength);
        var keyBlock = Prf(spec.PrfHash, master, "key expansion", [.. serverRandom, .. clientRandom], length);
        return new Tls12SessionKeys(spec, master, keyBlock);
    }

    /// <summary>
    /// The extended master secret (RFC 7627 §4): master_secret = PRF(pre_master_secret, "extended master secret",
    /// session_hash)[0..47], session_hash = Hash(handshake messages up to and including ClientKeyExchange); the key block
    /// as in <see cref="Derive"/>. The randoms come from the transcript's ClientHello and ServerHello.
    /// </summary>
    public static Tls12SessionKeys DeriveExtended(Tls12CipherSpec spec, ReadOnlySpan<byte> preMaster, ReadOnlySpan<byte> transcript)
    {
        var sessionHash = CryptographicOperations.HashData(spec.PrfHash, transcript);
        var master = Prf(spec.PrfHash, preMaster, "extended master secret", sessionHash, 48);
        // ClientHello: msg_type(1) length(3) version(2) random(32); the ServerHello follows the ClientHello.
        var clientRandom = transcript.Slice(6, 32);
        var helloLength = 4 + ((transcript[1] << 16) | (transcript[2] << 8) | transcript[3]);
        var serverRandom = transcript.Slice(helloLength + 6, 32);
        var length = 2 * (spec.MacLength + spec.KeyLength + spec.FixedIvLength);
        var keyBlock = Prf(spec.PrfHash, master, "key expansion", [.. serverRandom, .. clientRandom], length);
        return new Tls12SessionKeys(spec, master, keyBlock);
    }

    /// <summary>verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11], Hash being the
    /// PRF's (RFC 5246 §7.4.9).</summary>
    public byte[] VerifyData(string label, ReadOnlySpan<byte> transcript)
    {
        using var hash = IncrementalHash.CreateHash(_prfHash);
        hash.AppendData(transcript);
        return Prf(_prfHash, MasterSecret, label, hash.GetHashAndReset(), 12);
    }

    /// <summary>One protected record from the client (header included).</summary>
    public byte[] Protect(TlsContentType type, ushort version, ReadOnlySpan<byte> plaintext)
    {
        var fragment = _clientWrite.Seal(_clientSeq++, type, version, plaintext);
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
        var plaintext = _serverWrite.Open(_serverSeq, header.ContentType, header.Version, fragment);
        if (plaintext is not null)
        {
            _serverSeq++;
        }

        return plaintext;
    }

    public void Dispose()
    {
        _clientWrite.Dispose();
        _serverWrite.Dispose();
        CryptographicOperations.ZeroMemory(MasterSecret);
    }

    /// <summary>PRF(secret, label, seed) = P_SHA256(secret, label + seed) (RFC 5246 §5).</summary>
    public static byte[] Prf(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length) =>
        Prf(HashAlgorithmName.SHA256, secret, label, seed, length);

    /// <summary>P_hash(secret, label + seed) with the suite's PRF hash (RFC 5246 §5; SHA-384 for …_SHA384 suites, RFC 5289 §3).</summary>
    public static byte[] Prf(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] labelSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        var a = labelSeed;
        var offset = 0;
        while (offset < length)
        {
            a = CryptographicOperations.HmacData(hash, secret, a);                         // A(i) = HMAC(secret, A(i-1))
            var block = CryptographicOperations.HmacData(hash, secret, [.. a, .. labelSeed]); // HMAC(secret, A(i) + seed)
            var n = Math.Min(block.Length, length - offset);
            block.AsSpan(0, n).CopyTo(output.AsSpan(offset));
            offset += n;
        }

        return output;
    }
}
