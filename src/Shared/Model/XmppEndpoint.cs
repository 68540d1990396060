using System.Net;

namespace XmppScanCluster.Shared.Model;

/// <summary>
/// One place to connect to for one XMPP service. The service domain and the endpoint are kept apart on
/// purpose: <see cref="Domain"/> is the stream <c>to</c>, the SNI name and the reference identity
/// (RFC 6120 §13.7.2.1); <see cref="Target"/>, <see cref="Address"/> and <see cref="Port"/> only say where
/// the TCP connection goes. Confusing the two is the classic XMPP scanner bug.
/// </summary>
/// <param name="Domain">The service domain (A-label form).</param>
/// <param name="Mode">c2s or s2s.</param>
/// <param name="Transport">STARTTLS or XEP-0368 direct TLS.</param>
/// <param name="Target">The SRV target host name, or the domain itself for the address fallback.</param>
/// <param name="Address">One IPv4 or IPv6 address of <paramref name="Target"/>.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Priority">SRV priority (lower first); 0 for the fallback.</param>
/// <param name="Weight">SRV weight.</param>
/// <param name="Source">How the endpoint was found.</param>
public sealed record XmppEndpoint(
    string Domain,
    XmppMode Mode,
    TlsTransport Transport,
    string Target,
    IPAddress Address,
    int Port,
    int Priority,
    int Weight,
    EndpointSource Source)
{
    /// <summary>The socket address, bracketed for IPv6: <c>[::1]:5222</c>.</summary>
    public string AddressAndPort => new IPEndPoint(Address, Port).ToString();

    /// <summary>A short, stable label for logs and reports.</summary>
    public override string ToString() => $"{Domain} {Mode.Name()} {Transport.Name()} {Target} {AddressAndPort}";
}
