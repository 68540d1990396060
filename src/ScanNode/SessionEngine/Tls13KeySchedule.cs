using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// The TLS 1.3 key schedule of a full handshake without a PSK (RFC 8446 §7.1) and the transcript it hashes
/// (§4.4.1). The session's own engine needs nothing else: no resumption, no early data, no exporters.
/// </summary>
internal sealed class Tls13KeySchedule : IDisposable
{
    private readonly HashAlgorithmName _hash;
    private readonly int _hashLength;
    private readonly IncrementalHash _transcript;
    private byte[] _handshakeSecret = [];

    /// <param name="hash">The suite's hash: SHA-256, or SHA-384 for TLS_AES_256_GCM_SHA384.</param>
    public Tls13KeySchedule(HashAlgorithmName hash)
    {
        _hash = hash;
        _hashLength = hash == HashAlgorithmName.SHA384 ? 48 : 32;
        _transcript = IncrementalHash.CreateHash(hash);
    }

    public byte[] ClientHandshakeTrafficSecret { get; private set; } = [];
    public byte[] ServerHandshakeTrafficSecret { get; private set; } = [];
    public byte[] ClientApplicationTrafficSecret { get; private set; } = [];
    public byte[] ServerApplicationTrafficSecret { get; private set; } = [];

    /// <summary>Adds one whole handshake message (with its 4-byte header).</summary>
    public void AddToTranscript(ReadOnlySpan<byte> handshakeMessage) => _transcript.AppendData(handshakeMessage);

    /// <summary>
    /// After a HelloRetryRequest the first ClientHello is replaced by message_hash(254) carrying its hash
    /// (RFC 8446 §4.4.1); the caller then adds the HelloRetryRequest itself.
    /// </summary>
    public void StartWithMessageHash(ReadOnlySpan<byte> firstClientHello)
    {
        var hash = CryptographicOperations.HashData(_hash, firstClientHello);
        _transcript.GetHashAndReset();
        _transcript.AppendData([254, 0, 0, (byte)hash.Length, .. hash]);
    }

    public byte[] TranscriptHash() => _transcript.GetCurrentHash();

    /// <summary>
    /// early_secret = HKDF-Extract(0, 0); handshake_secret = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE);
    /// the two handshake traffic secrets over ClientHello…ServerHello.
    /// </summary>
    public void DeriveHandshakeSecrets(ReadOnlySpan<byte> sharedSecret)
    {
        var early = HKDF.Extract(_hash, new byte[_hashLength], new byte[_hashLength]);
        _handshakeSecret = new byte[_hashLength];
        HKDF.Extract(_hash, sharedSecret, DeriveSecret(early, "derived", EmptyHash()), _handshakeSecret);
        var hash = TranscriptHash();
        ClientHandshakeTrafficSecret = DeriveSecret(_handshakeSecret, "c hs traffic", hash);
        ServerHandshakeTrafficSecret = DeriveSecret(_handshakeSecret, "s hs traffic", hash);
    }

    /// <summary>master_secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0); the application traffic
    /// secrets over ClientHello…server Finished.</summary>
    public void DeriveApplicationSecrets()
    {
        var master = HKDF.Extract(_hash, new byte[_hashLength], DeriveSecret(_handshakeSecret, "derived", EmptyHash()));
        var hash = TranscriptHash();
        ClientApplicationTrafficSecret = DeriveSecret(master, "c ap traffic", hash);
        ServerApplicationTrafficSecret = DeriveSecret(master, "s ap traffic", hash);
        CryptographicOperations.ZeroMemory(master);
        CryptographicOperations.ZeroMemory(_handshakeSecret);
    }

    /// <summary>verify_data = HMAC(HKDF-Expand-Label(BaseKey, "finished", "", Hash.length), transcript hash) (§4.4.4).</summary>
    public byte[] FinishedVerifyData(ReadOnlySpan<byte> baseKey)
    {
        var finishedKey = ExpandLabel(_hash, baseKey, "finished", [], _hashLength);
        return CryptographicOperations.HmacData(_hash, finishedKey, TranscriptHash());
    }

    /// <summary>application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) (§7.2).</summary>
    public static byte[] NextTrafficSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret) =>
        ExpandLabel(hash, secret, "traffic upd", [], secret.Length);

    /// <summary>
    /// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length) with
    /// HkdfLabel = uint16 length, opaque label&lt;7..255&gt; = "tls13 " + Label, opaque context&lt;0..255&gt; (§7.1).
    /// Every length the schedule asks for (a key, an IV, a secret) is at most the hash's, and then HKDF-Expand is one
    /// HMAC, T(1) = HMAC-Hash(Secret, HkdfLabel | 0x01), cut to Length (RFC 5869 §2.3). Computed so on the stack it
    /// allocates only the result: HKDF.Expand and the label's arrays were 5.7 KiB per session (bench/depth-session
    /// README, session 18).
    /// </summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        ReadOnlySpan<byte> prefix = "tls13 "u8;
        Span<byte> info = stackalloc byte[2 + 1 + prefix.Length + label.Length + 1 + context.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)length);
        info[2] = (byte)(prefix.Length + label.Length);
        prefix.CopyTo(info[3..]);
        var at = 3 + prefix.Length + Encoding.ASCII.GetBytes(label, info[(3 + prefix.Length)..]);
        info[at++] = (byte)context.Length;
        context.CopyTo(info[at..]);
        at += context.Length;

        // T(1); its length is the hash's (64 bytes holds the largest HMAC .NET computes, SHA-512's).
        info[at] = 1;
        Span<byte> block = stackalloc byte[64];
        var hashLength = CryptographicOperations.HmacData(hash, secret, info[..(at + 1)], block);
        var output = new byte[length];
        if (length <= hashLength)
        {
            block[..length].CopyTo(output);
        }
        else
        {
            HKDF.Expand(hash, secret, output, info[..at]);
        }

        CryptographicOperations.ZeroMemory(block);
        return output;
    }

    private byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(_hash, secret, label, transcriptHash, _hashLength);

    public void Dispose()
    {
        _transcript.Dispose();
        CryptographicOperations.ZeroMemory(_handshakeSecret);
    }

    private byte[] EmptyHash() => CryptographicOperations.HashData(_hash, ReadOnlySpan<byte>.Empty);
}
