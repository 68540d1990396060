using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Events;

/// <summary>
/// The wire-level TLS assessment of one endpoint finished (the <c>tls_assessment</c> step): every protocol version,
/// the suites each accepts in the server's order, key exchange groups, signature algorithms and the connections it
/// cost — the same <see cref="TlsAssessmentReport"/> <c>xmppscan scan --json</c> writes as the endpoint's
/// <c>assessment</c>.
/// </summary>
/// <remarks><c>Index</c>: The endpoint's position in the mode's discovered endpoints.</remarks>
public sealed record EndpointTlsAssessed(XmppMode Mode, int Index, TlsAssessmentReport Assessment) : IEventPayload
{
    public static string TypeName => "endpoint_tls_assessed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// The vulnerability and behaviour probes of one endpoint finished (the <c>vulnerabilities</c> step), with the
/// weaknesses derived from its assessment: the endpoint's <c>vulnerabilities</c> in <c>scan --json</c>.
/// </summary>
/// <remarks><c>Index</c>: The endpoint's position in the mode's discovered endpoints.</remarks>
public sealed record EndpointVulnerabilitiesObserved(XmppMode Mode, int Index, VulnerabilityReport Vulnerabilities) : IEventPayload
{
    public static string TypeName => "endpoint_vulnerabilities_observed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// The client handshake simulation of one endpoint finished (the <c>client_simulation</c> step): what the server
/// chose for each recorded client hello, the endpoint's <c>client_simulation</c> in <c>scan --json</c>.
/// </summary>
/// <remarks><c>Index</c>: The endpoint's position in the mode's discovered endpoints.</remarks>
public sealed record EndpointClientsSimulated(XmppMode Mode, int Index, ClientSimulationReport ClientSimulation) : IEventPayload
{
    public static string TypeName => "endpoint_clients_simulated";
    public static int SchemaVersion => 1;
}

/// <summary>
/// The certificate inspection of one endpoint finished (the <c>certificate</c> step): the session's chain assessed
/// again with the per-key-type chains and OCSP staple of TLS ≤ 1.2, DANE and the chain walk — the endpoint's
/// <c>certificate</c> in <c>scan --json</c>, replacing the session step's plain assessment of the chain.
/// </summary>
/// <remarks><c>Index</c>: The endpoint's position in the mode's discovered endpoints.</remarks>
public sealed record EndpointCertificateInspected(XmppMode Mode, int Index, CertificateReport Certificate) : IEventPayload
{
    public static string TypeName => "endpoint_certificate_inspected";
    public static int SchemaVersion => 1;
}
