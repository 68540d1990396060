using System.Net.Security;
using System.Security.Authentication;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>Names for what SslStream negotiated, in the form reports use.</summary>
public static class TlsNames
{
#pragma warning disable SYSLIB0039, CS0618 // Old protocol values are named, not enabled: a scanner must be able to say "SSLv3".
    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1.0",
        SslProtocols.Ssl3 => "SSLv3",
        SslProtocols.Ssl2 => "SSLv2",
        _ => protocol.ToString(),
    };
#pragma warning restore SYSLIB0039, CS0618

    /// <summary>.NET's <see cref="TlsCipherSuite"/> values are the IANA codes and its names the IANA names.</summary>
    public static CipherSuiteName CipherSuite(TlsCipherSuite suite) => new((int)suite, suite.ToString());
}
