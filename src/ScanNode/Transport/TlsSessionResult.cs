using System.Net.Security;
using System.Security.Authentication;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>What one full TLS session with .NET's SslStream showed, plus the XMPP stream before and after TLS.</summary>
/// <param name="Xmpp">Stream facts before and after TLS.</param>
/// <param name="Protocol">The negotiated TLS version (OS default range); null if the handshake did not finish.</param>
/// <param name="CipherSuite">The negotiated suite; null if the handshake did not finish.</param>
/// <param name="NegotiatedAlpn">The ALPN protocol the server chose (direct TLS only); null for none.</param>
/// <param name="PresentedChain">DER certificates in the order the server sent them, leaf first.</param>
/// <param name="Failure">The first thing that went wrong; null for a complete session.</param>
/// <param name="Elapsed">Wall time from connect to close.</param>
public sealed record TlsSessionResult(
    XmppStreamFacts Xmpp,
    SslProtocols? Protocol,
    TlsCipherSuite? CipherSuite,
    string? NegotiatedAlpn,
    IReadOnlyList<byte[]> PresentedChain,
    ProbeFailure? Failure,
    TimeSpan Elapsed)
{
    /// <summary>A ClientHello went out: the endpoint was at the TLS handshake (after <c>&lt;proceed/&gt;</c>, or connected
    /// for direct TLS), whether or not a client finished it. The engine's assessment runs on exactly these endpoints.</summary>
    public bool ReachedHandshake { get; init; }

    /// <summary>The client configuration that completed the session; null when none did.</summary>
    public SessionClient? Client { get; init; }

    /// <summary>The session ran on this project's engine (<see cref="SessionEngine.EngineTlsClient"/>), not on SslStream.</summary>
    public bool OnEngine { get; init; }

    /// <summary>Why the platform's default client could not finish the handshake, when it could not.</summary>
    public ProbeFailure? SystemDefaultFailure { get; init; }
}
