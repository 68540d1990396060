using System.Net;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Header flag bits and RCODEs (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD, RFC 6891 §6.1.3 for DO).</summary>
internal static class DnsFlags
{
    internal const ushort Response = 0x8000;     // QR
    internal const ushort OpcodeMask = 0x7800;   // OPCODE, 0 = QUERY
    internal const ushort Truncated = 0x0200;    // TC
    internal const ushort RecursionDesired = 0x0100; // RD
    internal const ushort Authenticated = 0x0020;    // AD
    internal const ushort CheckingDisabled = 0x0010; // CD
    internal const ushort RcodeMask = 0x000F;

    internal const ushort ClassIn = 1;
    internal const uint DnssecOk = 0x8000;        // DO, in the OPT TTL's low 16 bits

    internal const int RcodeNoError = 0;
    internal const int RcodeServerFailure = 2;
    internal const int RcodeNxDomain = 3;
    internal const int RcodeRefused = 5;
}

/// <summary>Typed RDATA of the record types this client understands.</summary>
internal abstract record DnsRData;

/// <summary>A (RFC 1035 §3.4.1) or AAAA (RFC 3596 §2.2).</summary>
internal sealed record AddressRData(IPAddress Address) : DnsRData;

/// <summary>CNAME, PTR or NS: one domain name (RFC 1035 §3.3.1, §3.3.11, §3.3.12).</summary>
internal sealed record NameRData(string Name) : DnsRData;

/// <summary>SRV (RFC 2782).</summary>
internal sealed record SrvRData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRData;

/// <summary>TLSA (RFC 6698 §2.1).</summary>
internal sealed record TlsaRData(byte Usage, byte Selector, byte MatchingType, byte[] Data) : DnsRData;

/// <summary>SOA (RFC 1035 §3.3.13); only what negative caching needs (RFC 2308 §5).</summary>
internal sealed record SoaRData(uint Minimum) : DnsRData;

/// <summary>One resource record; <see cref="Data"/> is null for types this client does not read.</summary>
internal sealed record DnsResourceRecord(string Name, ushort Type, ushort Class, uint Ttl, DnsRData? Data);

/// <summary>A parsed response. Names are lower case, without the trailing dot.</summary>
internal sealed record DnsMessage(
    ushort Id,
    ushort Flags,
    int Rcode,
    string? QuestionName,
    ushort QuestionType,
    ushort QuestionClass,
    int QuestionCount,
    IReadOnlyList<DnsResourceRecord> Answers,
    IReadOnlyList<DnsResourceRecord> Authority,
    bool HasOpt,
    IReadOnlyList<ushort> ExtendedErrors)
{
    internal bool IsResponse => (Flags & DnsFlags.Response) != 0;

    internal bool IsTruncated => (Flags & DnsFlags.Truncated) != 0;

    internal bool IsAuthenticated => (Flags & DnsFlags.Authenticated) != 0;

    internal int Opcode => (Flags & DnsFlags.OpcodeMask) >> 11;

    /// <summary>
    /// Null when this message answers the query (same id, QR set, QUERY opcode, the one question echoed,
    /// RFC 1035 §7.3 and RFC 5452 §9.1); otherwise why not.
    /// </summary>
    internal string? MismatchWith(ushort id, string name, DnsRecordType type)
    {
        if (Id != id)
        {
            return $"response id {Id} does not match query id {id}";
        }

        if (!IsResponse || Opcode != 0)
        {
            return "message is not a response to a standard query";
        }

        if (QuestionCount != 1)
        {
            return $"response carries {QuestionCount} questions instead of 1";
        }

        if (!string.Equals(QuestionName, name, StringComparison.Ordinal)
            || QuestionType != (ushort)type || QuestionClass != DnsFlags.ClassIn)
        {
            return $"response question '{QuestionName}' type {QuestionType} class {QuestionClass} does not match the query";
        }

        return null;
    }
}
