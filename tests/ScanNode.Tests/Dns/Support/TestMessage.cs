using System.Buffers.Binary;
using System.Net;
using System.Text;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns.Support;

/// <summary>The record TYPE values the fake server writes and reads (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891, RFC 6698).</summary>
internal enum RecordType : ushort
{
    A = 1,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    TLSA = 52,
}

/// <summary>One answer record for a test response; RDATA as raw octets.</summary>
internal sealed record TestRecord(string Name, RecordType Type, uint Ttl, byte[] RData)
{
    internal static TestRecord A(string name, string address, uint ttl = 300) =>
        new(name, RecordType.A, ttl, IPAddress.Parse(address).GetAddressBytes());

    internal static TestRecord Aaaa(string name, string address, uint ttl = 300) =>
        new(name, RecordType.AAAA, ttl, IPAddress.Parse(address).GetAddressBytes());

    internal static TestRecord Cname(string name, string target, uint ttl = 300) =>
        new(name, RecordType.CNAME, ttl, TestMessage.EncodeName(target));

    /// <summary>SOA (RFC 1035 §3.3.13) with root MNAME/RNAME and the given MINIMUM.</summary>
    internal static TestRecord Soa(string name, uint ttl, uint minimum)
    {
        byte[] rdata = new byte[2 + 20];
        BinaryPrimitives.WriteUInt32BigEndian(rdata.AsSpan(18), minimum); // MNAME 0, RNAME 0, SERIAL..EXPIRE, MINIMUM
        return new(name, RecordType.SOA, ttl, rdata);
    }

    internal static TestRecord Srv(string name, ushort priority, ushort weight, ushort port, string target, uint ttl = 300)
    {
        byte[] targetBytes = TestMessage.EncodeName(target);
        byte[] rdata = new byte[6 + targetBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(rdata, priority);
        BinaryPrimitives.WriteUInt16BigEndian(rdata.AsSpan(2), weight);
        BinaryPrimitives.WriteUInt16BigEndian(rdata.AsSpan(4), port);
        targetBytes.CopyTo(rdata, 6);
        return new(name, RecordType.SRV, ttl, rdata);
    }
}

/// <summary>The fields of a received query that tests look at.</summary>
internal sealed record TestQuery(ushort Id, string Name, RecordType Type, bool CheckingDisabled, bool DnssecOk, byte[] Raw)
{
    /// <summary>Reads a query as our writer produces it: uncompressed question, then the OPT record.</summary>
    internal static TestQuery Parse(byte[] raw)
    {
        int position = 12;
        var labels = new List<string>();
        while (raw[position] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(raw, position + 1, raw[position]));
            position += 1 + raw[position];
        }

        position += 1;
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(position));
        position += 4;
        bool dnssecOk = raw.Length >= position + 11 && (BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(position + 5)) & 0x8000) != 0;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(2));
        return new TestQuery(BinaryPrimitives.ReadUInt16BigEndian(raw), string.Join('.', labels), type, (flags & 0x0010) != 0, dnssecOk, raw);
    }
}

/// <summary>Builds responses without compression, for the fake server and for tests that need many variants.</summary>
internal static class TestMessage
{
    internal const int NoError = 0, ServFail = 2, NxDomain = 3, Refused = 5;

    internal static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        if (name is not ("." or ""))
        {
            foreach (string label in name.TrimEnd('.').Split('.'))
            {
                bytes.Add((byte)label.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(label));
            }
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>A response to <paramref name="query"/>: same id and question, QR RD RA, the given flags and records.</summary>
    internal static byte[] Response(
        TestQuery query, int rcode = NoError, IEnumerable<TestRecord>? answers = null, bool truncated = false,
        bool authenticated = false, ushort? id = null, string? questionName = null,
        IEnumerable<TestRecord>? authority = null, ushort? extendedError = null)
    {
        var records = answers?.ToList() ?? [];
        var authorityRecords = authority?.ToList() ?? [];
        var message = new List<byte>();
        ushort flags = (ushort)(0x8000 | 0x0100 | 0x0080 | rcode);
        if (truncated)
        {
            flags |= 0x0200;
        }

        if (authenticated)
        {
            flags |= 0x0020;
        }

        AddUInt16(message, id ?? query.Id);
        AddUInt16(message, flags);
        AddUInt16(message, 1);
        AddUInt16(message, (ushort)records.Count);
        AddUInt16(message, (ushort)authorityRecords.Count);
        AddUInt16(message, (ushort)(extendedError is null ? 0 : 1));
        message.AddRange(EncodeName(questionName ?? query.Name));
        AddUInt16(message, (ushort)query.Type);
        AddUInt16(message, 1);
        foreach (var record in records.Concat(authorityRecords))
        {
            message.AddRange(EncodeName(record.Name));
            AddUInt16(message, (ushort)record.Type);
            AddUInt16(message, 1);
            AddUInt16(message, (ushort)(record.Ttl >> 16));
            AddUInt16(message, (ushort)record.Ttl);
            AddUInt16(message, (ushort)record.RData.Length);
            message.AddRange(record.RData);
        }

        if (extendedError is { } code)
        {
            // OPT (RFC 6891 §6.1.2) carrying one Extended DNS Error option (RFC 8914 §2): code 15, length 2, INFO-CODE
            message.Add(0);
            AddUInt16(message, (ushort)RecordType.OPT);
            AddUInt16(message, 1232);
            AddUInt16(message, 0);
            AddUInt16(message, 0x8000);
            AddUInt16(message, 6);
            AddUInt16(message, 15);
            AddUInt16(message, 2);
            AddUInt16(message, code);
        }

        return [.. message];
    }

    private static void AddUInt16(List<byte> message, ushort value)
    {
        message.Add((byte)(value >> 8));
        message.Add((byte)value);
    }
}
