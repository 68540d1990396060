using System.Net;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// The four lookups discovery and DANE use, and nothing more: whatever library answers them, the scanner sees
/// <see cref="DnsLookup{T}"/> results. Never throws for network input (a timeout, a malformed or hostile answer is
/// a <see cref="DnsStatus"/>); only the caller's own cancellation ends a lookup with
/// <see cref="OperationCanceledException"/>.
/// </summary>
public interface IDnsResolver
{
    /// <summary>SRV records of <paramref name="name"/> (e.g. <c>_xmpp-client._tcp.example.org</c>), in answer order.</summary>
    Task<DnsLookup<SrvRecord>> LookupSrvAsync(string name, CancellationToken ct);

    /// <summary>
    /// A and AAAA of <paramref name="host"/>, asked together. Ok when either family has addresses (a failed other
    /// half is named in <see cref="DnsLookup{T}.Error"/>); Authenticated only when both answers had AD.
    /// </summary>
    Task<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct);

    /// <summary>TLSA records of <paramref name="name"/> (e.g. <c>_5222._tcp.xmpp.example.org</c>, RFC 6698 §3).</summary>
    Task<DnsLookup<TlsaRecord>> LookupTlsaAsync(string name, CancellationToken ct);

    /// <summary>The PTR names of <paramref name="address"/> (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa).</summary>
    Task<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken ct);
}
