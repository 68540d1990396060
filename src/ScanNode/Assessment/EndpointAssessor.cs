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
public sealed record EndpointAssessment(
    TlsAssessmentReport Assessment,
    VulnerabilityReport? Vulnerabilities,
    ClientSimulationReport? ClientSimulation,
    int PipelinedConnections = 0,
    ProbeFailure? PipelineFailure = null);

/// <summary>
/// The wire-level work on one XMPP endpoint: <see cref="TlsAssessor"/>, then the vulnerability probes and the
/// client simulation (<see cref="FollowUpProbes"/>), all over one <see cref="XmppTlsConnectionFactory"/>
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
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<EndpointAssessment> RunAsync(XmppEndpoint endpoint, bool pipelineStartTls, CancellationToken cancellationToken)
    {
        var factory = new XmppTlsConnectionFactory(_connector, endpoint, pipelineStartTls ? _pipelined : null);
        var counter = _assessor.CreateCounter(factory);
        var assessment = await _assessor.AssessAsync(counter, endpoint.Domain, cancellationToken).ConfigureAwait(false);
        var anyVersion = assessment.Protocols.Any(p => p.Supported);
        var vulnerabilities = _options.Vulnerabilities
            ? await _followUps.VulnerabilitiesAsync(counter, assessment, endpoint.Domain, cancellationToken).ConfigureAwait(false)
            : null;
        var simulation = _options.ClientSimulation && anyVersion
            ? await _followUps.ClientSimulationAsync(counter, endpoint.Domain, Alpn(endpoint), cancellationToken).ConfigureAwait(false)
            : null;
        return new EndpointAssessment(assessment, vulnerabilities, simulation, factory.PipelinedConnections, factory.PipelineFailure);
    }

    /// <summary>XEP-0368: direct TLS clients and servers announce <c>xmpp-client</c> / <c>xmpp-server</c>.</summary>
    private static IReadOnlyList<string>? Alpn(XmppEndpoint endpoint) => endpoint.Transport == TlsTransport.DirectTls
        ? [endpoint.Mode == XmppMode.S2S ? "xmpp-server" : "xmpp-client"]
        : null;
}
