using System.Buffers.Binary;
using System.Text;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// What a scripted server needs from a ClientHello record (RFC 8446 §4.1.2) and the answers it builds: a
/// ServerHello (RFC 5246 §7.4.1.3 / RFC 8446 §4.1.3), ServerHelloDone, alerts. Test support: the hello is the
/// scanner's own, so the walk trusts its lengths.
/// </summary>
internal static class ClientHello
{
    /// <summary>record(5) type(1) length(3) version(2) random(32) → session_id.</summary>
    private const int SessionIdOffset = 5 + 4 + 2 + 32;

    public static byte[] SessionId(byte[] hello) => hello.AsSpan(SessionIdOffset + 1, hello[SessionIdOffset]).ToArray();

    public static List<ushort> Suites(byte[] hello)
    {
        var at = SessionIdOffset + 1 + hello[SessionIdOffset];
        var length = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at));
        var suites = new List<ushort>();
        for (var i = 0; i < length; i += 2) suites.Add(BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at + 2 + i)));
        return suites;
    }

    /// <summary>Extensions by type.</summary>
    public static Dictionary<ushort, byte[]> Extensions(byte[] hello)
    {
        var at = SessionIdOffset + 1 + hello[SessionIdOffset];
        at += 2 + BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at));
        at += 1 + hello[at];
        var result = new Dictionary<ushort, byte[]>();
        if (at + 2 > hello.Length) return result;
        var end = at + 2 + BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at));
        at += 2;
        while (at + 4 <= end && end <= hello.Length)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at));
            var length = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(at + 2));
            result[type] = hello.AsSpan(at + 4, length).ToArray();
            at += 4 + length;
        }

        return result;
    }

    /// <summary>The SNI host name (RFC 6066 §3), if any.</summary>
    public static string? ServerName(byte[] hello)
    {
        if (hello.Length < SessionIdOffset || (hello[0] & 0x80) != 0 || !Extensions(hello).TryGetValue(0x0000, out var sni) || sni.Length < 5)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(sni.AsSpan(3));
        return Encoding.ASCII.GetString(sni, 5, length);
    }

    /// <summary>supported_versions lists TLS 1.3.</summary>
    public static bool OffersTls13(byte[] hello)
    {
        if ((hello[0] & 0x80) != 0 || !Extensions(hello).TryGetValue(0x002B, out var versions)) return false;
        for (var i = 1; i + 1 < versions.Length; i += 2)
        {
            if (versions[i] == 0x03 && versions[i + 1] == 0x04) return true;
        }

        return false;
    }

    /// <summary>A ServerHello record choosing <paramref name="suite"/>; at TLS 1.3 with supported_versions and an
    /// x25519 key_share (the client's share is not checked: nothing after the ServerHello is read).</summary>
    public static byte[] ServerHello(byte[] hello, ushort suite, bool tls13)
    {
        var sid = SessionId(hello);
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 1)));
        body.Add((byte)sid.Length);
        body.AddRange(sid);
        body.Add((byte)(suite >> 8));
        body.Add((byte)suite);
        body.Add(0);
        var extensions = new List<byte>();
        if (tls13)
        {
            extensions.AddRange([0x00, 0x2B, 0x00, 0x02, 0x03, 0x04]);
            extensions.AddRange([0x00, 0x33, 0x00, 0x24, 0x00, 0x1D, 0x00, 0x20]);
            extensions.AddRange(Enumerable.Range(0, 32).Select(i => (byte)(i + 9)));
        }

        body.Add((byte)(extensions.Count >> 8));
        body.Add((byte)extensions.Count);
        body.AddRange(extensions);
        return Record(0x16, Handshake(0x02, [.. body]));
    }

    public static byte[] ServerHelloDone() => Record(0x16, Handshake(0x0E, []));

    public static byte[] Alert(byte level, byte description) => Record(0x15, [level, description]);

    public static byte[] Handshake(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] Record(byte type, byte[] payload) =>
        [type, 0x03, 0x03, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
}
