using System.Security.Cryptography;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// Writes a <see cref="ClientHelloProfile"/> as a handshake message and as records.
/// <code>
/// struct {                                      RFC 5246 §7.4.1.2 / RFC 8446 §4.1.2
///     ProtocolVersion client_version;           2
///     Random random;                            32
///     SessionID session_id;                     &lt;0..32&gt;
///     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
///     CompressionMethod compression_methods&lt;1..2^8-1&gt;;
///     Extension extensions&lt;0..2^16-1&gt;;       absent in SSLv3 (RFC 6101 §5.6.1.2)
/// } ClientHello;
/// </code>
/// </summary>
public static class ClientHelloBuilder
{
    /// <summary>The ClientHello handshake message: msg_type(1), length(3), body.</summary>
    public static byte[] BuildHandshake(ClientHelloProfile profile)
    {
        using var w = new TlsWriter(1024);
        WritePadded(w, profile, recordVersion: null);
        return w.ToArray();
    }

    /// <summary>The ClientHello in one or more handshake records (fragmented at 2^14, RFC 5246 §6.2.1).</summary>
    public static byte[] BuildRecords(ClientHelloProfile profile)
    {
        // One hello per connection (issue 14): the record header is written in front of the message in the same
        // pooled buffer, so a hello that fits one record (all but the largest probes) is copied out once.
        using var w = new TlsWriter(1024);
        WritePadded(w, profile, (ushort)profile.RecordVersion);
        if (w.Length - TlsRecordHeader.Size <= TlsRecordWriter.MaxFragment)
        {
            return w.ToArray();
        }

        return TlsRecordWriter.Wrap(TlsContentType.Handshake, (ushort)profile.RecordVersion, w.WrittenSpan[TlsRecordHeader.Size..]);
    }

    /// <summary>Writes the hello (in a record header when <paramref name="recordVersion"/> is set) with its padding
    /// extension grown to the profile's target length.</summary>
    private static void WritePadded(TlsWriter w, ClientHelloProfile profile, ushort? recordVersion)
    {
        var padToLength = 0;
        foreach (var e in profile.Extensions)
        {
            if (e.PadToLength > 0)
            {
                padToLength = e.PadToLength;
                break;
            }
        }

        Write(w, profile, recordVersion, paddingBytes: -1);
        if (padToLength == 0)
        {
            return;
        }

        // RFC 7685 §3: the padding extension's data is zeros; grow it so the message reaches the target.
        // The unpadded form already contains the padding extension's 4-byte header.
        var header = recordVersion is null ? 0 : TlsRecordHeader.Size;
        var fill = Math.Max(0, padToLength - (w.Length - header));
        w.Reset();
        Write(w, profile, recordVersion, fill);
    }

    private static void Write(TlsWriter w, ClientHelloProfile profile, ushort? recordVersion, int paddingBytes)
    {
        var record = default(LengthPrefix);
        if (recordVersion is { } version)
        {
            w.WriteUInt8((byte)TlsContentType.Handshake);
            w.WriteUInt16(version);
            record = w.BeginVector16();
        }

        w.WriteUInt8((byte)TlsHandshakeType.ClientHello);
        var body = w.BeginVector24();
        w.WriteUInt16((ushort)profile.ClientVersion);
        if (profile.FixedRandom is { } fixedRandom)
        {
            w.WriteBytes(fixedRandom.AsSpan());
        }
        else
        {
            Span<byte> random = stackalloc byte[32];
            RandomNumberGenerator.Fill(random);
            w.WriteBytes(random);
        }

        // A legacy_session_id is at most 32 bytes (RFC 8446 §4.1.2); a longer one is a probe's deliberate error.
        Span<byte> sessionId = profile.SessionIdLength <= 255 ? stackalloc byte[profile.SessionIdLength] : new byte[profile.SessionIdLength];
        RandomNumberGenerator.Fill(sessionId);
        w.WriteVector(1, sessionId);
        var suites = w.BeginVector16();
        foreach (var s in profile.CipherSuites)
        {
            w.WriteUInt16(s);
        }

        w.EndVector(suites);
        w.WriteVector(1, profile.CompressionMethods.AsSpan());
        if (!profile.Extensions.IsEmpty || !profile.OmitEmptyExtensionsBlock)
        {
            var exts = w.BeginVector16();
            foreach (var e in profile.Extensions)
            {
                w.WriteUInt16(e.Type);
                if (e.PadToLength > 0)
                {
                    var pad = w.BeginVector16();
                    w.WriteZeros(Math.Max(0, paddingBytes));
                    w.EndVector(pad);
                }
                else
                {
                    w.WriteVector(2, e.Data.AsSpan());
                }
            }

            w.EndVector(exts);
        }

        w.EndVector(body);
        if (recordVersion is not null && w.Length - TlsRecordHeader.Size <= TlsRecordWriter.MaxFragment)
        {
            w.EndVector(record);
        }
    }
}

/// <summary>Wraps payloads in TLSPlaintext records (RFC 5246 §6.2.1).</summary>
public static class TlsRecordWriter
{
    /// <summary>Largest plaintext fragment: 2^14.</summary>
    public const int MaxFragment = 1 << 14;

    /// <summary>type(1) version(2) length(2) fragment, split into fragments of at most 2^14 bytes.</summary>
    public static byte[] Wrap(TlsContentType type, ushort version, ReadOnlySpan<byte> payload)
    {
        using var w = new TlsWriter(payload.Length + 5 * (1 + (payload.Length / MaxFragment)));
        var offset = 0;
        do
        {
            var n = Math.Min(MaxFragment, payload.Length - offset);
            w.WriteUInt8((byte)type);
            w.WriteUInt16(version);
            w.WriteVector(2, payload.Slice(offset, n));
            offset += n;
        }
        while (offset < payload.Length);

        return w.ToArray();
    }

    /// <summary>A plaintext alert record (e.g. a polite close after a probe).</summary>
    public static byte[] Alert(ushort version, TlsAlertLevel level, TlsAlertDescription description) =>
        Wrap(TlsContentType.Alert, version, [(byte)level, (byte)description]);
}
