using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Writes one query: header, one question, and an EDNS0 OPT record (RFC 1035 §4.1, RFC 6891 §6.1.2).</summary>
internal static class DnsMessageWriter
{
    /// <summary>EDNS0 UDP payload size advertised: the DNS Flag Day 2020 value that avoids IP fragmentation.</summary>
    internal const ushort EdnsUdpPayloadSize = 1232;

    /// <summary>Upper bound of a query: header 12 + name 255 + 4 + OPT 11.</summary>
    internal const int MaxQueryLength = 12 + DnsReader.MaxNameOctets + 4 + 11;

    //  Header (RFC 1035 §4.1.1)          Question (§4.1.2)        OPT pseudo-RR (RFC 6891 §6.1.2)
    //  +0  ID                 16         QNAME   labels, 0        NAME   0 (root)        8
    //  +2  QR|Opcode|AA|TC|RD|RA|Z|AD|CD|RCODE   QTYPE 16         TYPE   41              16
    //  +4  QDCOUNT  = 1                  QCLASS 16 (IN)           CLASS  UDP payload size 16
    //  +6  ANCOUNT  = 0                                           TTL    ext-RCODE 8, VERSION 8, DO 1, Z 15
    //  +8  NSCOUNT  = 0                                           RDLEN  0               16
    //  +10 ARCOUNT  = 1
    /// <summary>Writes the query into <paramref name="destination"/>; false with a reason when the name is unusable.</summary>
    internal static bool TryWriteQuery(
        Span<byte> destination, ushort id, string name, DnsRecordType type, bool dnssecOk, bool checkingDisabled,
        out int written, out string? error)
    {
        written = 0;
        if (destination.Length < MaxQueryLength)
        {
            error = "query buffer too small";
            return false;
        }

        ushort flags = DnsFlags.RecursionDesired;
        if (checkingDisabled)
        {
            flags |= DnsFlags.CheckingDisabled;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], 1);
        int position = 12;
        if (!TryWriteName(destination[position..], name, out int nameLength, out error))
        {
            return false;
        }

        position += nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], DnsFlags.ClassIn);
        position += 4;

        destination[position] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 1)..], (ushort)DnsRecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 3)..], EdnsUdpPayloadSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(position + 5)..], dnssecOk ? DnsFlags.DnssecOk : 0u);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 9)..], 0);
        position += 11;
        written = position;
        return true;
    }

    /// <summary>
    /// Writes a name given in lower-case ASCII presentation form without escapes (as <see cref="DomainName"/>
    /// produces, or an SRV/TLSA owner with '_' labels). Labels 1..63 octets, at most 255 octets in all.
    /// </summary>
    internal static bool TryWriteName(Span<byte> destination, string name, out int written, out string? error)
    {
        written = 0;
        string trimmed = name.EndsWith('.') ? name[..^1] : name;
        int position = 0;
        if (trimmed.Length > 0)
        {
            foreach (string label in trimmed.Split('.'))
            {
                if (label.Length is 0 or > DnsReader.MaxLabelOctets)
                {
                    error = $"'{name}': every label must be 1 to 63 characters";
                    return false;
                }

                if (position + 1 + label.Length + 1 > DnsReader.MaxNameOctets || position + 1 + label.Length + 1 > destination.Length)
                {
                    error = $"'{name}' is longer than 255 octets";
                    return false;
                }

                destination[position++] = (byte)label.Length;
                foreach (char c in label)
                {
                    if (c is <= ' ' or >= (char)0x7F or '\\')
                    {
                        error = $"'{name}' contains a character that is not printable ASCII (use the A-label form)";
                        return false;
                    }

                    destination[position++] = (byte)char.ToLowerInvariant(c);
                }
            }
        }

        destination[position++] = 0;
        written = position;
        error = null;
        return true;
    }
}
