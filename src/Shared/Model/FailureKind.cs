namespace XmppScanCluster.Shared.Model;

/// <summary>
/// The one flat vocabulary for why a probe or a connection did not complete (zgrab2's status.go idea).
/// Every failure is one of these plus a human message; nothing is reported as an exception.
/// </summary>
public enum FailureKind
{
    /// <summary>Name resolution failed (NXDOMAIN, SERVFAIL, no answer from any resolver, malformed answer).</summary>
    DnsFailure,

    /// <summary>TCP connection refused (RST to the SYN).</summary>
    Refused,

    /// <summary>No route, host unreachable, network down.</summary>
    Unreachable,

    /// <summary>A connect, a read or the whole target ran out of time.</summary>
    Timeout,

    /// <summary>The peer closed the connection where more was expected.</summary>
    ConnectionClosed,

    /// <summary>The server sent <c>&lt;stream:error/&gt;</c> (RFC 6120 §4.9).</summary>
    StreamError,

    /// <summary>The server does not offer <c>&lt;starttls/&gt;</c> where TLS was wanted.</summary>
    StartTlsNotOffered,

    /// <summary>The server answered <c>&lt;starttls/&gt;</c> with <c>&lt;failure/&gt;</c> (RFC 6120 §5.4.2.2).</summary>
    StartTlsRejected,

    /// <summary>The server sent a TLS alert during the handshake.</summary>
    TlsAlert,

    /// <summary>The TLS handshake failed without a readable alert.</summary>
    TlsHandshakeFailed,

    /// <summary>The peer sent bytes that violate the protocol (bad XML, bad TLS record).</summary>
    ProtocolError,

    /// <summary>A byte, element or record budget was exceeded.</summary>
    LimitExceeded,

    /// <summary>The target is on the operator's blocklist; nothing was sent.</summary>
    Blocked,

    /// <summary>The scan was cancelled by the operator.</summary>
    Cancelled,

    /// <summary>The user's input was not usable (invalid domain name, bad option).</summary>
    InvalidInput,

    /// <summary>An unexpected error in our own code while a probe ran: ours, not the server's. The probe's facts
    /// are unknown; everything else in the scan continues.</summary>
    Internal,
}

/// <summary>A classified failure with a one-line human message. Server-provided text is untrusted.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Message">One line, for people; may quote (bounded, sanitised) server text.</param>
public sealed record ProbeFailure(FailureKind Kind, string Message)
{
    /// <summary>The stable form for logs: the enum name, then the message.</summary>
    public override string ToString() => $"{Kind}: {Message}";

    /// <summary>For people (reports, pages, stored reasons people read): "connection closed: the server closed …".</summary>
    public string Words() => $"{Kind.Words()}: {Message}";
}

/// <summary>The failure kinds in words for people; the stored facts and JSON keep the enum's stable names.</summary>
public static class FailureKindWords
{
    public static string Words(this FailureKind kind) => kind switch
    {
        FailureKind.DnsFailure => "DNS failure",
        FailureKind.Refused => "connection refused",
        FailureKind.Unreachable => "unreachable",
        FailureKind.Timeout => "timed out",
        FailureKind.ConnectionClosed => "connection closed",
        FailureKind.StreamError => "XMPP stream error",
        FailureKind.StartTlsNotOffered => "STARTTLS not offered",
        FailureKind.StartTlsRejected => "STARTTLS rejected",
        FailureKind.TlsAlert => "TLS alert",
        FailureKind.TlsHandshakeFailed => "TLS handshake failed",
        FailureKind.ProtocolError => "protocol error",
        FailureKind.LimitExceeded => "size or time limit exceeded",
        FailureKind.Blocked => "blocked",
        FailureKind.Cancelled => "cancelled",
        FailureKind.InvalidInput => "invalid input",
        FailureKind.Internal => "scanner error",
        _ => kind.ToString(),
    };
}
