using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>
/// The endpoint rules of the scan steps (run by <c>xmppscan scan</c> and the census alike): what the session report says,
/// on which endpoints the engine's assessment runs, when an endpoint counts as scanned, and when later connections may
/// pipeline the STARTTLS preamble.
/// </summary>
public static class EndpointOutcome
{
    /// <summary>The session's TLS part: present whenever a ClientHello went out (null = the endpoint never reached TLS:
    /// refused, no STARTTLS, a stream error), with a null protocol when no client here finished the handshake.</summary>
    public static TlsSessionReport? SessionReport(TlsSessionResult result) => result.ReachedHandshake || result.Protocol is not null
        ? new TlsSessionReport(
            result.Protocol is { } protocol ? TlsNames.ProtocolName(protocol) : null,
            result.CipherSuite is { } suite && result.Protocol is not null ? TlsNames.CipherSuite(suite) : null,
            result.NegotiatedAlpn,
            result.Client,
            result.SystemDefaultFailure)
        : null;

    /// <summary>
    /// The engine's assessment runs on every endpoint that answers a ClientHello, whatever the session managed: the session
    /// reached the handshake (its TLS part is present). Never on one where a TLS library's refusal is the only fact — that
    /// is how servers without a TLS 1.2 forward-secret suite used to vanish from the census (issue 15).
    /// </summary>
    public static bool Assessable(EndpointReport session) => session.Tls is not null;

    /// <summary>The session's status: completed, or for a server that offers no STARTTLS also completed (the absence of
    /// TLS is the finding); failed otherwise, until the assessment says otherwise (<see cref="WithAssessment"/>).</summary>
    public static ProbeStatus SessionStatus(ProbeFailure? failure) =>
        failure is null || failure.Kind == FailureKind.StartTlsNotOffered ? ProbeStatus.Completed : ProbeStatus.Failed;

    /// <summary>
    /// Merges the assessment into the endpoint: an endpoint whose session no TLS library could finish but whose
    /// assessment found a protocol it speaks was scanned — it is assessed and graded from the engine's facts — so it
    /// becomes completed; the session's failure stays in the report as the reason there is no session.
    /// </summary>
    public static EndpointReport WithAssessment(EndpointReport report, TlsAssessmentReport assessment) => report with
    {
        Assessment = assessment,
        Status = report.Status == ProbeStatus.Failed && report.Tls is { Protocol: null } && assessment.Protocols.Any(p => p.Supported)
            ? ProbeStatus.Completed
            : report.Status,
    };

    /// <summary>
    /// The session (this endpoint's first connection) proved the STARTTLS preamble safe to pipeline (issue 4):
    /// the features offered STARTTLS, the server answered <c>&lt;starttls/&gt;</c> with <c>&lt;proceed/&gt;</c> and
    /// TLS was negotiated, without a stream error. Later connections then send the header and
    /// <c>&lt;starttls/&gt;</c> in one write.
    /// </summary>
    public static bool PipelineProven(XmppEndpoint endpoint, TlsSessionResult session) =>
        PipelineProven(endpoint.Transport, session.Protocol is not null, session.Xmpp);

    /// <summary>The same rule from what a session recorded (the later steps read it from the session's event).</summary>
    public static bool PipelineProven(TlsTransport transport, bool tlsNegotiated, XmppStreamFacts? xmpp) =>
        transport == TlsTransport.StartTls
        && tlsNegotiated
        && xmpp is not null
        && xmpp.StreamError is null
        && xmpp.PreTlsFeatures?.StartTls is StartTlsSupport.Offered or StartTlsSupport.Required;
}
