using System.Net;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>RDATA of the types this client reads; the length must be consumed exactly.</summary>
internal static class DnsRDataParser
{
    /// <summary>
    /// Parses RDATA at <paramref name="start"/> (names may point anywhere earlier in the message).
    /// Unknown types give true with null data.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<byte> message, int start, int length, ushort type, out DnsRData? data, out string? error)
    {
        data = null;
        error = null;
        var reader = new DnsReader(message[..(start + length)], start);
        switch ((DnsRecordType)type)
        {
            // A, RFC 1035 §3.4.1: ADDRESS 32.  AAAA, RFC 3596 §2.2: ADDRESS 128.
            case DnsRecordType.A or DnsRecordType.AAAA:
                int expected = type == (ushort)DnsRecordType.A ? 4 : 16;
                if (length != expected)
                {
                    error = $"RDLENGTH {length}, expected {expected}";
                    return false;
                }

                reader.TryReadBytes(length, out var address);
                data = new AddressRData(new IPAddress(address));
                return true;

            // CNAME §3.3.1, NS §3.3.11, PTR §3.3.12: one domain name.
            case DnsRecordType.CNAME or DnsRecordType.NS or DnsRecordType.PTR:
                if (!reader.TryReadName(out string name, out error))
                {
                    return false;
                }

                data = new NameRData(name);
                break;

            // SRV, RFC 2782: PRIORITY 16 | WEIGHT 16 | PORT 16 | TARGET (name; compression tolerated)
            case DnsRecordType.SRV:
                if (!reader.TryReadUInt16(out ushort priority) || !reader.TryReadUInt16(out ushort weight)
                    || !reader.TryReadUInt16(out ushort port))
                {
                    error = "shorter than 6 octets";
                    return false;
                }

                if (!reader.TryReadName(out string target, out error))
                {
                    return false;
                }

                data = new SrvRData(priority, weight, port, target);
                break;

            // TLSA, RFC 6698 §2.1: USAGE 8 | SELECTOR 8 | MATCHING TYPE 8 | CERTIFICATE ASSOCIATION DATA
            case DnsRecordType.TLSA:
                if (!reader.TryReadUInt8(out byte usage) || !reader.TryReadUInt8(out byte selector)
                    || !reader.TryReadUInt8(out byte matching))
                {
                    error = "shorter than 3 octets";
                    return false;
                }

                reader.TryReadBytes(reader.Remaining, out var association);
                data = new TlsaRData(usage, selector, matching, association.ToArray());
                break;

            // SOA, RFC 1035 §3.3.13: MNAME | RNAME | SERIAL | REFRESH | RETRY | EXPIRE | MINIMUM (32 each)
            case DnsRecordType.SOA:
                if (!reader.TryReadName(out _, out error) || !reader.TryReadName(out _, out error))
                {
                    return false;
                }

                uint minimum = 0;
                for (int i = 0; i < 5; i++)
                {
                    if (!reader.TryReadUInt32(out minimum))
                    {
                        error = "timers truncated";
                        return false;
                    }
                }

                data = new SoaRData(minimum);
                break;

            default:
                return true;
        }

        if (reader.Position != start + length)
        {
            error = $"RDLENGTH {length} does not match the {reader.Position - start} octets of RDATA";
            return false;
        }

        return true;
    }
}
