using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>What to do with one received message.</summary>
internal enum DnsVerdict
{
    /// <summary>It answers our query.</summary>
    Accept,

    /// <summary>Not ours (wrong id or question, RFC 5452 §9.1): keep waiting for the real answer.</summary>
    Ignore,

    /// <summary>Ours, but broken.</summary>
    Malformed,
}

/// <summary>Parses a received message and decides whether it answers the query that was sent.</summary>
internal static class DnsResponseValidator
{
    internal static DnsVerdict Check(
        ReadOnlySpan<byte> received, ushort id, string name, DnsRecordType type, out DnsMessage? message, out string? error)
    {
        message = null;
        if (received.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(received) != id)
        {
            error = $"response id {BinaryPrimitives.ReadUInt16BigEndian(received)} does not match query id {id}";
            return DnsVerdict.Ignore;
        }

        if (!DnsMessageParser.TryParse(received, out var parsed, out error))
        {
            return DnsVerdict.Malformed;
        }

        error = parsed!.MismatchWith(id, name, type);
        if (error is not null)
        {
            return DnsVerdict.Ignore;
        }

        message = parsed;
        return DnsVerdict.Accept;
    }
}
