using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>A ClientHello as a test (or the fake server) reads it back.</summary>
internal sealed record ParsedClientHello(
    ushort RecordVersion,
    ushort ClientVersion,
    byte[] Random,
    byte[] SessionId,
    ushort[] CipherSuites,
    byte[] CompressionMethods,
    List<(ushort Type, byte[] Data)>? Extensions,
    int HandshakeLength);

/// <summary>
/// A deliberately independent, throwing parser for what WE send (tests only): record header, handshake
/// header, ClientHello fields, extensions. Written straight from RFC 5246 §7.4.1.2, not from the builder.
/// </summary>
internal static class TestClientHelloParser
{
    public static ParsedClientHello Parse(byte[] records)
    {
        // Join the fragments of all handshake records.
        var payload = new List<byte>();
        ushort recordVersion = 0;
        var i = 0;
        while (i < records.Length)
        {
            if (records[i] != 22) throw new FormatException("not a handshake record");
            var v = BinaryPrimitives.ReadUInt16BigEndian(records.AsSpan(i + 1));
            if (i == 0) recordVersion = v;
            var len = BinaryPrimitives.ReadUInt16BigEndian(records.AsSpan(i + 3));
            if (len > 16384) throw new FormatException("record over 2^14");
            payload.AddRange(records.AsSpan(i + 5, len).ToArray());
            i += 5 + len;
        }

        var p = payload.ToArray();
        if (p[0] != 1) throw new FormatException("not a ClientHello");
        var hsLen = (p[1] << 16) | (p[2] << 8) | p[3];
        if (hsLen != p.Length - 4) throw new FormatException("handshake length mismatch");
        var o = 4;
        var clientVersion = U16(p, ref o);
        var random = p[o..(o + 32)];
        o += 32;
        var sid = p[(o + 1)..(o + 1 + p[o])];
        o += 1 + sid.Length;
        var suitesLen = U16(p, ref o);
        var suites = new ushort[suitesLen / 2];
        for (var k = 0; k < suites.Length; k++) suites[k] = U16(p, ref o);
        var comp = p[(o + 1)..(o + 1 + p[o])];
        o += 1 + comp.Length;
        List<(ushort, byte[])>? exts = null;
        if (o < p.Length)
        {
            exts = [];
            var extLen = U16(p, ref o);
            var end = o + extLen;
            if (end != p.Length) throw new FormatException("extensions length mismatch");
            while (o < end)
            {
                var type = U16(p, ref o);
                var len = U16(p, ref o);
                exts.Add((type, p[o..(o + len)]));
                o += len;
            }
        }

        return new ParsedClientHello(RecordVersion: recordVersion, ClientVersion: clientVersion, Random: random, SessionId: sid, CipherSuites: suites, CompressionMethods: comp, Extensions: exts, HandshakeLength: p.Length);
    }

    private static ushort U16(byte[] p, ref int o)
    {
        var v = BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(o));
        o += 2;
        return v;
    }
}
