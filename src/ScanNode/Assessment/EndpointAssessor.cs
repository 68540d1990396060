using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>Everything the wire-level work found on one endpoint.</summary>
/// <param name="Assessment">Protocols, suites, key exchange, connection counts.</param>
/// <param name="Vulnerabilities">The probes and derived weaknesses; null when turned off.</param>
/// <param name="ClientSimulation">The client profiles; null when turned off or when no version was supported.</param>
/// <param name="PipelinedConnections">Connections that used the pipelined STARTTLS preamble.</param>
/// <param name="PipelineFailure">Why pipelining was dropped on this endpoint, if it was.</param>
/// <param name="Chain">DER of the chain the assessment's handshakes received (see <see cref="TlsAssessmentReport.ChainSha256"/>).</param>
public sealed record EndpointAssessment(
    TlsAssessmentReport Assessment,
    VulnerabilityReport? Vulnerabilities,
    ClientSimulationReport? ClientSimulation,
    int PipelinedConnections = 0,
    ProbeFailure? PipelineFailure = null,
    IReadOnlyList<byte[]>? Chain = null);

/// <summary>
/// The wire-level work on one XMPP endpoint: <see cref="TlsAssessor"/>, then the vulnerability probes and the
/// client simulation (<see cref="FollowUpProbes"/>) — whole in <see cref="RunAsync"/> (<c>xmppscan scan</c>), or
/// phase by phase (the census's endpoint steps, one event each) — all over one <see cref="XmppTlsConnectionFactory"/>
/// (STARTTLS c2s/s2s or direct TLS) behind one <see cref="CountingConnectionFactory"/>, with the service domain
/// as SNI (RFC 7590 §3.1). Connections to the endpoint are strictly sequential, spaced by
/// <see cref="AssessmentOptions.MinimumSpacing"/>.
/// </summary>
public sealed class EndpointAssessor(ScanLimits limits, AssessmentOptions? options = null, XmppConnectorOptions? connector = null)
{
    private readonly AssessmentOptions _options = options ?? AssessmentOptions.Default;
    private readonly XmppTlsConnector _connector = new(limits, connector);
    private readonly XmppTlsConnector _pipelined = new(limits, (connector ?? XmppConnectorOptions.Default) with { PipelineStartTls = true });
    private readonly TlsAssessor _assessor = new(limits, options);
    private readonly FollowUpProbes _followUps = new(limits);

    /// <summary>The assessment alone.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<TlsAssessmentReport> AssessAsync(XmppEndpoint endpoint, CancellationToken cancellationToken) =>
        _assessor.AssessAsync(new XmppTlsConnectionFactory(_connector, endpoint), endpoint.Domain, cancellationToken);

    /// <summary>The assessment, then (as configured) the vulnerability probes and the client simulation.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="pipelineStartTls">An earlier connection proved the server offers STARTTLS and answers it
    /// normally: send the stream header and <c>&lt;starttls/&gt;</c> in one write (issue 4), with a fallback.</param>
    /// <param name="cancellationToken">Cancels everything.</param>
    /// <param name="phase">Told the name of each phase as it starts (the census's step names), for the progress display.</param>
    /// <param name="session">The endpoint's own session, checked against the assessment (<see cref="SessionConsistency"/>).</param>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<EndpointAssessment> RunAsync(XmppEndpoint endpoint, bool pipelineStartTls, CancellationToken cancellationToken,
        Action<string>? phase = null, TlsSessionReport? session = null)
    {
        var connections = Open(endpoint, pipelineStartTls);
        phase?.Invoke("tls_assessment");
        var (assessment, chain) = await AssessWithChainAsync(connections, session, cancellationToken).ConfigureAwait(false);
        phase?.Invoke("vulnerabilities");
        var vulnerabilities = RunsVulnerabilities
            ? await VulnerabilitiesAsync(connections, assessment, cancellationToken).ConfigureAwait(false)
            : null;
        phase?.Invoke("client_simulation");
        var simulation = RunsClientSimulation && AnyVersion(assessment)
            ? await ClientSimulationAsync(connections, cancellationToken).ConfigureAwait(false)
            : null;
        return new EndpointAssessment(assessment, vulnerabilities, simulation, connections.Factory.PipelinedConnections,
            connections.Factory.PipelineFailure, chain);
    }

    /// <summary>The vulnerability probes are on (<see cref="AssessmentOptions.Vulnerabilities"/>).</summary>
    public bool RunsVulnerabilities => _options.Vulnerabilities;

    /// <summary>The client simulation is on (<see cref="AssessmentOptions.ClientSimulation"/>).</summary>
    public bool RunsClientSimulation => _options.ClientSimulation;

    /// <summary>The client simulation needs a version to simulate against.</summary>
    public static bool AnyVersion(TlsAssessmentReport assessment) => assessment.Protocols.Any(p => p.Supported);

    /// <summary>The connections of one endpoint for the phases below (the connector's gate applies to each one).</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="pipelineStartTls">See <see cref="RunAsync"/>.</param>
    public EndpointConnections Open(XmppEndpoint endpoint, bool pipelineStartTls)
    {
        var factory = new XmppTlsConnectionFactory(_connector, endpoint, pipelineStartTls ? _pipelined : null);
        return new EndpointConnections(factory, _assessor.CreateCounter(factory));
    }

    /// <summary>Phase 1: protocols, suites per protocol in the server's order, key exchange, signature algorithms.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<TlsAssessmentReport> AssessAsync(EndpointConnections connections, CancellationToken cancellationToken) =>
        _assessor.AssessAsync(connections.Counter, connections.Endpoint.Domain, cancellationToken);

    /// <summary>Phase 1 with the DER of the chain its handshakes received (the certificate of a server no TLS library
    /// finishes a handshake with), checked against the endpoint's own <paramref name="session"/>: a contradiction is
    /// recorded and the contradicted version made inconclusive (<see cref="SessionConsistency"/>) before any later
    /// phase builds on it — in <c>xmppscan scan</c> and in the census's step alike.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<AssessedChain> AssessWithChainAsync(EndpointConnections connections, TlsSessionReport? session,
        CancellationToken cancellationToken)
    {
        var assessed = await _assessor.AssessWithChainAsync(connections.Counter, connections.Endpoint.Domain, cancellationToken).ConfigureAwait(false);
        return assessed with { Report = SessionConsistency.Check(assessed.Report, session) };
    }

    /// <summary>Phase 2: the vulnerability probes, with <paramref name="assessment"/> as their pre-flight.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<VulnerabilityReport> VulnerabilitiesAsync(EndpointConnections connections, TlsAssessmentReport assessment,
        CancellationToken cancellationToken) =>
        _followUps.VulnerabilitiesAsync(connections.Counter, assessment, connections.Endpoint.Domain, cancellationToken);

    /// <summary>Phase 3: every client profile, one connection each.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<ClientSimulationReport> ClientSimulationAsync(EndpointConnections connections, CancellationToken cancellationToken) =>
        _followUps.ClientSimulationAsync(connections.Counter, connections.Endpoint.Domain, Alpn(connections.Endpoint), cancellationToken);

    /// <summary>XEP-0368: direct TLS clients and servers announce <c>xmpp-client</c> / <c>xmpp-server</c>.</summary>
    private static IReadOnlyList<string>? Alpn(XmppEndpoint endpoint) => endpoint.Transport == TlsTransport.DirectTls
        ? [endpoint.Mode == XmppMode.S2S ? "xmpp-server" : "xmpp-client"]
        : null;
}
