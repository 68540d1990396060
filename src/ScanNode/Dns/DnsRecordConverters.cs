using System.Net;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>From parsed records to the shared record types; null when the RDATA is not of the expected shape.</summary>
internal static class DnsRecordConverters
{
    internal static SrvRecord? Srv(DnsResourceRecord r) =>
        r.Data is SrvRData s ? new SrvRecord(r.Name, s.Priority, s.Weight, s.Port, s.Target, r.Ttl) : null;

    internal static TlsaRecord? Tlsa(DnsResourceRecord r) =>
        r.Data is TlsaRData t ? new TlsaRecord(r.Name, t.Usage, t.Selector, t.MatchingType, t.Data, r.Ttl) : null;

    internal static IPAddress? Address(DnsResourceRecord r) => r.Data is AddressRData a ? a.Address : null;

    internal static string? Name(DnsResourceRecord r) => r.Data is NameRData n ? n.Name : null;
}
