using System.Text.Json.Serialization;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Clients.Verdicts;

/// <summary>What a client did against one scenario, worst first; derived from the wire only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerdictKind>))]
public enum VerdictKind
{
    /// <summary>A password or a password-derived proof crossed without TLS.</summary>
    CredentialsInClear,

    /// <summary>The client continued its stream over TLS with a certificate a careful client rejects.</summary>
    AcceptedBadCertificate,

    /// <summary>The client authenticated over TLS with an acceptable certificate.</summary>
    AuthenticatedOverTls,

    /// <summary>The client stayed connected without sending credentials until the harness's deadline.</summary>
    ConnectedNoAuth,

    /// <summary>The client connected and then aborted before any credentials left it.</summary>
    Refused,

    /// <summary>A channel-binding downgrade scenario where the client did not choose a -PLUS mechanism on the first visit: there was nothing to downgrade.</summary>
    NotApplicable,

    /// <summary>The client never reached the harness (it rejected what DNS said, or the driver failed to start).</summary>
    NoConnection,
}

/// <summary>The judgement of one run.</summary>
/// <param name="Kind">The verdict.</param>
/// <param name="MeetsExpectation">Whether the client did what the scenario expects of a careful client.</param>
/// <param name="Mechanism">The authentication mechanism the credentials went out with, if any.</param>
/// <param name="TlsProtocol">The TLS protocol and suite negotiated, if TLS ran.</param>
/// <param name="AbortedAt">Where the client gave up, in words ("TLS handshake", "after features", …), if it did.</param>
/// <param name="Connections">How many TCP connections the client opened.</param>
public sealed record Verdict(VerdictKind Kind, bool MeetsExpectation, string? Mechanism, string? TlsProtocol, string? AbortedAt, int Connections)
{
    /// <summary>The channel-binding facts of a downgrade scenario, in words (first visit's mechanism, binding type and check; second visit's flag); null elsewhere.</summary>
    public string? ChannelBinding { get; init; }

    /// <summary>The matrix's words for a verdict.</summary>
    public static string Words(VerdictKind kind) => kind switch
    {
        VerdictKind.CredentialsInClear => "sent credentials in the clear",
        VerdictKind.AcceptedBadCertificate => "accepted a bad certificate",
        VerdictKind.AuthenticatedOverTls => "authenticated over TLS",
        VerdictKind.ConnectedNoAuth => "connected but did not authenticate",
        VerdictKind.Refused => "refused",
        VerdictKind.NotApplicable => "not applicable: did not use channel binding",
        _ => "never connected",
    };

    /// <summary>The snake_case name used in JSON and file names.</summary>
    public static string Code(VerdictKind kind) => kind switch
    {
        VerdictKind.CredentialsInClear => "credentials_in_clear",
        VerdictKind.AcceptedBadCertificate => "accepted_bad_certificate",
        VerdictKind.AuthenticatedOverTls => "authenticated_over_tls",
        VerdictKind.ConnectedNoAuth => "connected_no_auth",
        VerdictKind.Refused => "refused",
        VerdictKind.NotApplicable => "not_applicable",
        _ => "no_connection",
    };
}
