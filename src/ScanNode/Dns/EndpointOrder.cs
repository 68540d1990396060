using System.Net.Sockets;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// The deterministic order of discovered endpoints. RFC 2782's weighted random choice is for clients that
/// want one server; a scanner visits every target, so it sorts instead: priority ascending, weight
/// descending, target name (ordinal), port, STARTTLS before direct TLS (XEP-0368 §3 mixes both sets and
/// prefers neither), IPv4 before IPv6, then address octets.
/// </summary>
public static class EndpointOrder
{
    /// <summary>Orders endpoints as described on the type.</summary>
    public static int Compare(XmppEndpoint a, XmppEndpoint b)
    {
        int c = a.Priority.CompareTo(b.Priority);
        if (c == 0) c = b.Weight.CompareTo(a.Weight);
        if (c == 0) c = string.CompareOrdinal(a.Target, b.Target);
        if (c == 0) c = a.Port.CompareTo(b.Port);
        if (c == 0) c = a.Transport.CompareTo(b.Transport);
        if (c == 0) c = CompareAddresses(a.Address, b.Address);
        return c;
    }

    /// <summary>SRV records in the same order: priority, weight descending, target, port, owner name.</summary>
    public static int Compare(SrvRecord a, SrvRecord b)
    {
        int c = a.Priority.CompareTo(b.Priority);
        if (c == 0) c = b.Weight.CompareTo(a.Weight);
        if (c == 0) c = string.CompareOrdinal(a.Target, b.Target);
        if (c == 0) c = a.Port.CompareTo(b.Port);
        if (c == 0) c = string.CompareOrdinal(a.Name, b.Name);
        return c;
    }

    internal static int CompareAddresses(System.Net.IPAddress a, System.Net.IPAddress b)
    {
        int familyA = a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1;
        int familyB = b.AddressFamily == AddressFamily.InterNetwork ? 0 : 1;
        if (familyA != familyB)
        {
            return familyA.CompareTo(familyB);
        }

        return a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
    }
}
