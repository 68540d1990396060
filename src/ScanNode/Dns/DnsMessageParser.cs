namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Parses a whole response (RFC 1035 §4.1). Bounded and total: any violation gives false and a message,
/// never an exception. Every record's RDATA must be consumed exactly by its RDLENGTH.
/// </summary>
internal static class DnsMessageParser
{
    /// <summary>Extended DNS Error option code (RFC 8914 §2).</summary>
    internal const ushort EdeOptionCode = 15;

    //  Header, RFC 1035 §4.1.1
    //  +0 ID | +2 flags | +4 QDCOUNT | +6 ANCOUNT | +8 NSCOUNT | +10 ARCOUNT
    internal const int HeaderLength = 12;

    internal static bool TryParse(ReadOnlySpan<byte> message, out DnsMessage? parsed, out string? error)
    {
        parsed = null;
        var reader = new DnsReader(message);
        if (!reader.TryReadUInt16(out ushort id) || !reader.TryReadUInt16(out ushort flags)
            || !reader.TryReadUInt16(out ushort qdCount) || !reader.TryReadUInt16(out ushort anCount)
            || !reader.TryReadUInt16(out ushort nsCount) || !reader.TryReadUInt16(out ushort arCount))
        {
            error = $"header truncated: {message.Length} of {HeaderLength} octets";
            return false;
        }

        string? questionName = null;
        ushort questionType = 0, questionClass = 0;

        // Question, RFC 1035 §4.1.2: QNAME | QTYPE 16 | QCLASS 16
        for (int i = 0; i < qdCount; i++)
        {
            if (!reader.TryReadName(out string name, out error))
            {
                error = "question: " + error;
                return false;
            }

            if (!reader.TryReadUInt16(out ushort type) || !reader.TryReadUInt16(out ushort cls))
            {
                error = "question truncated";
                return false;
            }

            if (i == 0)
            {
                (questionName, questionType, questionClass) = (name, type, cls);
            }
        }

        var answers = new List<DnsResourceRecord>(Math.Min((int)anCount, 64));
        var authority = new List<DnsResourceRecord>(Math.Min((int)nsCount, 16));
        var extendedErrors = new List<ushort>();
        bool hasOpt = false;
        int extendedRcode = 0;
        for (int i = 0; i < anCount + nsCount + arCount; i++)
        {
            string section = i < anCount ? "answer" : i < anCount + nsCount ? "authority" : "additional";
            if (!TryReadRecord(ref reader, message, out var record, out int rdataStart, out ushort rdLength, out error))
            {
                error = $"{section} record {i}: {error}";
                return false;
            }

            if (i < anCount)
            {
                answers.Add(record!);
            }
            else if (i < anCount + nsCount)
            {
                authority.Add(record!);
            }
            else if (record!.Type == (ushort)DnsRecordType.OPT)
            {
                // OPT, RFC 6891 §6.1.2-§6.1.3: one only, owner root; TTL = extended RCODE (upper 8 bits of 12) | version | DO | Z
                if (hasOpt || record.Name != ".")
                {
                    error = "more than one OPT record, or OPT not owned by the root";
                    return false;
                }

                hasOpt = true;
                extendedRcode = (int)(record.Ttl >> 24);
                if (!TryReadEdeCodes(message.Slice(rdataStart, rdLength), extendedErrors, out error))
                {
                    return false;
                }
            }
        }

        if (reader.Remaining != 0)
        {
            error = $"{reader.Remaining} octets after the last record";
            return false;
        }

        int rcode = (extendedRcode << 4) | (flags & DnsFlags.RcodeMask);
        parsed = new DnsMessage(id, flags, rcode, questionName, questionType, questionClass, qdCount, answers, authority, hasOpt, extendedErrors);
        error = null;
        return true;
    }

    //  Resource record, RFC 1035 §4.1.3
    //  NAME | TYPE 16 | CLASS 16 | TTL 32 | RDLENGTH 16 | RDATA (RDLENGTH octets)
    private static bool TryReadRecord(
        ref DnsReader reader, ReadOnlySpan<byte> message, out DnsResourceRecord? record, out int rdataStart, out ushort rdLength,
        out string? error)
    {
        record = null;
        rdataStart = 0;
        rdLength = 0;
        if (!reader.TryReadName(out string name, out error))
        {
            return false;
        }

        if (!reader.TryReadUInt16(out ushort type) || !reader.TryReadUInt16(out ushort cls)
            || !reader.TryReadUInt32(out uint ttl) || !reader.TryReadUInt16(out rdLength))
        {
            error = "record header truncated";
            return false;
        }

        rdataStart = reader.Position;
        if (reader.Remaining < rdLength)
        {
            error = $"RDLENGTH {rdLength} exceeds the {reader.Remaining} octets left";
            return false;
        }

        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        if (ttl > int.MaxValue)
        {
            ttl = 0;
        }

        DnsRData? data = null;
        if (cls == DnsFlags.ClassIn && !DnsRDataParser.TryParse(message, rdataStart, rdLength, type, out data, out error))
        {
            error = $"{(DnsRecordType)type} RDATA: {error}";
            return false;
        }

        reader.TryReadBytes(rdLength, out _);
        record = new DnsResourceRecord(name, type, cls, ttl, data);
        return true;
    }

    //  EDNS option, RFC 6891 §6.1.2: OPTION-CODE 16 | OPTION-LENGTH 16 | OPTION-DATA
    //  EDE data, RFC 8914 §2: INFO-CODE 16 | EXTRA-TEXT (UTF-8, ignored)
    private static bool TryReadEdeCodes(ReadOnlySpan<byte> options, List<ushort> codes, out string? error)
    {
        var reader = new DnsReader(options);
        while (reader.Remaining > 0)
        {
            if (!reader.TryReadUInt16(out ushort code) || !reader.TryReadUInt16(out ushort length)
                || !reader.TryReadBytes(length, out var data))
            {
                error = "OPT option truncated";
                return false;
            }

            if (code == EdeOptionCode && data.Length >= 2)
            {
                codes.Add((ushort)((data[0] << 8) | data[1]));
            }
        }

        error = null;
        return true;
    }
}
