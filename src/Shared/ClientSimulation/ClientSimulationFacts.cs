using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Shared.ClientSimulation;

/// <summary>How a simulated client's handshake ended.</summary>
public enum SimulationOutcome
{
    /// <summary>The server chose parameters the client offered: the client would connect with them.</summary>
    Negotiated,
    /// <summary>The server refused the hello (alert or close) or chose something the client never offered.</summary>
    HandshakeFailed,
    /// <summary>No TLS to talk to: connection refused, STARTTLS not offered or rejected, DNS failure.</summary>
    NoTls,
    /// <summary>Timeout, garbage or cancellation: the server's answer does not tell.</summary>
    Inconclusive,
}

/// <summary>
/// What the server did with one client profile's ClientHello (one connection). Facts only; grading decides
/// whether a failed or weak handshake for a given client matters.
/// </summary>
/// <param name="ProfileId">The <see cref="ClientProfile.Id"/>.</param>
/// <param name="Outcome">Negotiated, failed, no TLS, or inconclusive.</param>
public sealed record ClientSimulationFacts(string ProfileId, SimulationOutcome Outcome)
{
    /// <summary>The negotiated protocol version.</summary>
    public TlsVersion? Protocol { get; init; }

    /// <summary>The chosen cipher suite code.</summary>
    public ushort? CipherSuite { get; init; }

    /// <summary>IANA name of <see cref="CipherSuite"/> (or <c>0xABCD</c>).</summary>
    public string? CipherSuiteName { get; init; }

    /// <summary>Key exchange: the suite's for TLS ≤ 1.2; for TLS 1.3 from the key_share group (ECDHE, DHE, or Any for hybrids).</summary>
    public KeyExchange? KeyExchange { get; init; }

    /// <summary>ECDHE curve (ServerKeyExchange) or TLS 1.3 key_share group.</summary>
    public ushort? Group { get; init; }

    /// <summary>Name of <see cref="Group"/>.</summary>
    public string? GroupName { get; init; }

    /// <summary>Bits of the server's DHE prime (TLS ≤ 1.2 DHE suites).</summary>
    public int? DhBits { get; init; }

    /// <summary>TLS 1.3: the server answered with a HelloRetryRequest for <see cref="Group"/>; the client
    /// would send a second hello with that share (RFC 8446 §4.1.4: suite and version stay the same).</summary>
    public bool HelloRetry { get; init; }

    /// <summary>The alert the server sent instead of a ServerHello, e.g. <c>handshake_failure</c>.</summary>
    public string? Alert { get; init; }

    /// <summary>One line for people when the outcome is not <see cref="SimulationOutcome.Negotiated"/>.</summary>
    public string? Reason { get; init; }
}
