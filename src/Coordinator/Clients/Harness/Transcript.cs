using System.Text.Json.Serialization;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>What happened on the wire, in the harness's vocabulary; the verdict is derived from these only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WireEventKind>))]
public enum WireEventKind
{
    /// <summary>A TCP connection from the client arrived (Detail: the listener, e.g. "c2s", "direct-tls", "other-host").</summary>
    Connected,

    /// <summary>The client's stream header (Detail: its <c>to</c>).</summary>
    StreamOpened,

    /// <summary>The server sent its features (Detail: what they offered).</summary>
    FeaturesSent,

    /// <summary>The client asked for <c>&lt;starttls/&gt;</c>.</summary>
    StartTlsRequested,

    /// <summary>The TLS handshake finished (Detail: protocol and suite).</summary>
    TlsEstablished,

    /// <summary>The TLS handshake failed; the client aborted it (Detail: why, as far as the server saw).</summary>
    TlsFailed,

    /// <summary>The client chose a SASL mechanism (Mechanism set).</summary>
    AuthStarted,

    /// <summary>The SCRAM gs2-cbind-flag exactly as the client sent it: "n", "y" or "p=&lt;type&gt;" (RFC 5802 §7; Mechanism set).</summary>
    ChannelBindingFlag,

    /// <summary>The client's channel-binding data compared with the harness's own (Detail: type, TLS version, "matches" / "does not match" / "not verified (why)").</summary>
    ChannelBindingChecked,

    /// <summary>The harness started the same driver again (same home) for the second visit (Detail: what it now offers).</summary>
    SecondVisit,

    /// <summary>A password or a password-derived proof left the client (PLAIN payload, SCRAM client proof, iq:auth password or digest).</summary>
    CredentialsSent,

    /// <summary>The server accepted the authentication.</summary>
    Authenticated,

    /// <summary>A legacy <c>jabber:iq:auth</c> request (Detail: get or set).</summary>
    LegacyAuthRequest,

    /// <summary>The server sent a stream error (Detail: the condition).</summary>
    StreamErrorSent,

    /// <summary>A top-level element the client sent that the harness has no special meaning for (Detail: its name).</summary>
    Stanza,

    /// <summary>The client closed the stream or the connection (Detail: how).</summary>
    ClientClosed,

    /// <summary>The harness gave up waiting for the client (its own deadline).</summary>
    TimedOut,

    /// <summary>The client sent something the harness could not parse (Detail: the parser's message, bounded).</summary>
    ProtocolError,
}

/// <summary>One fact recorded by the hostile server.</summary>
/// <param name="Connection">1-based number of the TCP connection within the run.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Encrypted">Whether the connection was under TLS when it happened.</param>
/// <param name="Detail">Bounded text: what the client sent or what the server did.</param>
/// <param name="Mechanism">The SASL (or "iq:auth") mechanism, when one is involved.</param>
/// <param name="CertificateBad">Whether the certificate presented on this connection is one a careful client rejects.</param>
public sealed record WireEvent(
    int Connection,
    WireEventKind Kind,
    bool Encrypted,
    string Detail = "",
    string? Mechanism = null,
    bool CertificateBad = false);

/// <summary>Everything one client run produced: the events and the raw XML both ways (decrypted where TLS ran).</summary>
/// <param name="ScenarioId">The scenario.</param>
/// <param name="Events">The facts, in order.</param>
/// <param name="Raw">Lines "C1: …" (client) and "S1: …" (server), bounded, for a human reading the evidence.</param>
public sealed record Transcript(string ScenarioId, IReadOnlyList<WireEvent> Events, IReadOnlyList<string> Raw);
