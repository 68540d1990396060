using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Events;

/// <summary>Names one endpoint inside a target's events: where the connection went and how TLS started.</summary>
public sealed record EndpointRef(string Address, int Port, XmppMode Mode, TlsTransport Transport)
{
    public static EndpointRef From(XmppEndpoint endpoint) =>
        new(endpoint.Address.ToString(), endpoint.Port, endpoint.Mode, endpoint.Transport);
}

/// <summary>DNS (SRV or the address fallback) named an endpoint of the target.</summary>
public sealed record EndpointDiscovered(
    string Domain,
    XmppMode Mode,
    TlsTransport Transport,
    string Target,
    string Address,
    int Port,
    int Priority,
    int Weight,
    EndpointSource Source) : IEventPayload
{
    public static string TypeName => "endpoint_discovered";
    public static int SchemaVersion => 1;

    public static EndpointDiscovered From(XmppEndpoint e) =>
        new(e.Domain, e.Mode, e.Transport, e.Target, e.Address.ToString(), e.Port, e.Priority, e.Weight, e.Source);
}

/// <summary>The endpoint's pre-TLS stream features required STARTTLS (<c>&lt;required/&gt;</c>, RFC 6120 §5.4.1).</summary>
public sealed record StartTlsRequired(EndpointRef Endpoint) : IEventPayload
{
    public static string TypeName => "start_tls_required";
    public static int SchemaVersion => 1;
}

/// <summary>
/// The endpoint presented a certificate at <see cref="ChainPosition"/> (0 = leaf). The DER is stored once in
/// the store's certificate table under <see cref="Sha256"/> (lower-case hex), so the event stays small.
/// </summary>
/// <remarks><c>EndpointIndex</c>: The endpoint's position in the mode's discovered endpoints (additive: absent in
/// events written before it existed), so a later census step finds the chain again.</remarks>
public sealed record CertificateObserved(EndpointRef Endpoint, int ChainPosition, string Sha256, int? EndpointIndex = null) : IEventPayload
{
    public static string TypeName => "certificate_observed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// The result of one domain in one mode, as the scanner reports it: the facts grading is computed from, so a
/// stored census can be re-graded without rescanning.
/// </summary>
/// <remarks>
/// <c>EndpointsInStream</c> (v2): the report's endpoints are not repeated here (<see cref="DomainReport.Endpoints"/>
/// is empty); they are the projection of the same stream's endpoint events before this one (<c>TargetStateMachine.Evolve</c>
/// puts them back, as the census's readers do). A target's endpoint reports were otherwise stored twice: this event was
/// 44 % of the payload bytes of a depth-session census (issue 14). A report written whole (v1, or a fixture) has it false.
/// v1 → v2 adds the field, false.
/// </remarks>
public sealed record DomainScanCompleted(DomainReport Report, bool EndpointsInStream = false) : IEventPayload
{
    public static string TypeName => "domain_scan_completed";
    public static int SchemaVersion => 2;
}

/// <summary>The target is finished in this region (last event of the target's stream for the region).</summary>
/// <remarks><c>Failure</c>: Why it failed as a whole, when <see cref="Status"/> is <see cref="ProbeStatus.Failed"/>.</remarks>
public sealed record TargetScanCompleted(string Domain, ProbeStatus Status, FailureKind? Failure, int Endpoints)
    : IEventPayload
{
    public static string TypeName => "target_scan_completed";
    public static int SchemaVersion => 1;
}
