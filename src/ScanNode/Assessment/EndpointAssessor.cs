using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The wire-level work on one XMPP endpoint: <see cref="TlsAssessor"/>, then the vulnerability probes and the
/// client simulation (<see cref="FollowUpProbes"/>), phase by phase (the scan's endpoint steps, one event each, in
/// <c>xmppscan scan</c> and the census alike), each phase over one <see cref="XmppTlsConnectionFactory"/>
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
    private readonly AssessmentVerifier _verifier = new(limits);
    private readonly SharedFollowUps _sharedPhases = new(new FollowUpProbes(limits));

    /// <summary>The assessment alone.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<TlsAssessmentReport> AssessAsync(XmppEndpoint endpoint, CancellationToken cancellationToken) =>
        _assessor.AssessAsync(new XmppTlsConnectionFactory(_connector, endpoint), endpoint.Domain, cancellationToken);

    /// <summary>The vulnerability probes are on (<see cref="AssessmentOptions.Vulnerabilities"/>).</summary>
    public bool RunsVulnerabilities => _options.Vulnerabilities;

    /// <summary>The client simulation is on (<see cref="AssessmentOptions.ClientSimulation"/>).</summary>
    public bool RunsClientSimulation => _options.ClientSimulation;

    /// <summary>The client simulation needs a version to simulate against.</summary>
    public static bool AnyVersion(TlsAssessmentReport assessment) => assessment.Protocols.Any(p => p.Supported);

    /// <summary>The connections of one endpoint for the phases below (the connector's gate applies to each one).</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="pipelineStartTls">An earlier connection proved the server offers STARTTLS and answers it
    /// normally: send the stream header and <c>&lt;starttls/&gt;</c> in one write (issue 4), with a fallback.</param>
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
        var assessed = await _assessor.AssessWithChainAsync(connections.Counter, connections.Endpoint.Domain, TlsVersionNames.FromName(session?.Protocol), cancellationToken)
            .ConfigureAwait(false);
        return assessed with { Report = SessionConsistency.Check(assessed.Report, session) };
    }

    /// <summary>
    /// Phase 1 shared between the endpoints of one TLS service (issue 14): verified against a full assessment of the
    /// same address in <paramref name="shares"/> when there is one (a few hellos, <see cref="AssessmentVerifier"/>), else
    /// — or on any difference — assessed in full and offered to the endpoints after it. Without
    /// <paramref name="shares"/>, the full assessment.
    /// </summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<AssessedChain> AssessWithChainAsync(EndpointConnections connections, TlsSessionReport? session,
        AssessmentShares? shares, CancellationToken cancellationToken)
    {
        if (shares is null)
        {
            return await AssessWithChainAsync(connections, session, cancellationToken).ConfigureAwait(false);
        }

        var endpoint = connections.Endpoint;
        var tried = new List<SharedAssessment>();
        AssessmentSharing? mismatch = null;
        while (true)
        {
            // Two differing verifications and the endpoint is assessed in full at once: an address whose endpoints all
            // differ (a configuration per domain, chosen by SNI) must not cost a verification per configuration.
            var turn = tried.Count < MaxVerifications
                ? await shares.TakeTurnAsync(endpoint, tried, cancellationToken).ConfigureAwait(false)
                : new ShareTurn(null, false);
            if (turn.Source is { } source)
            {
                var (shared, sharing) = await _verifier.VerifyAsync(connections, source, session, cancellationToken).ConfigureAwait(false);
                // A throttled hello proves nothing either way: the step retries later (WireStepInput.IfThrottled).
                if (shared is not null || connections.Factory.Throttled is not null)
                {
                    return shared ?? new AssessedChain(TlsAssessmentReport.Failed(connections.Factory.Throttled!) with { Sharing = sharing }, []);
                }

                mismatch = sharing;
                tried.Add(source);
                continue;
            }

            try
            {
                var own = await AssessWithChainAsync(connections, session, cancellationToken).ConfigureAwait(false);
                if (connections.Factory.Throttled is null && Shareable(own))
                {
                    shares.Publish(endpoint, own.Report, own.Plan);
                }

                return mismatch is null ? own : own with { Report = own.Report with { Sharing = mismatch } };
            }
            finally
            {
                if (turn.Assessing)
                {
                    shares.EndTurn(endpoint);
                }
            }
        }
    }

    /// <summary>Verifications one endpoint may try (each a few hellos) before it is assessed in full.</summary>
    private const int MaxVerifications = 2;

    /// <summary>Only a clean full assessment is a source: completed, every version decided, consistent with its own
    /// session, and with hellos to verify it by.</summary>
    private static bool Shareable(AssessedChain assessed) =>
        assessed.Report is { Status: ProbeStatus.Completed, Failure: null, Contradictions: null or { Count: 0 } } report
        && report.Protocols.All(p => p.Inconclusive is null && p.Errors.Count == 0)
        && assessed.Plan.Length >= 2;

    /// <summary>Phase 2: the vulnerability probes, with <paramref name="assessment"/> as their pre-flight.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<VulnerabilityReport> VulnerabilitiesAsync(EndpointConnections connections, TlsAssessmentReport assessment,
        CancellationToken cancellationToken) =>
        _followUps.VulnerabilitiesAsync(connections.Counter, assessment, connections.Endpoint.Domain, cancellationToken);

    /// <summary>Phase 2 shared between the endpoints of one verified TLS service (issue 14): each probe's result taken from
    /// another endpoint of the service as far as the probe says it reaches (<see cref="SharedFollowUps"/>). Without
    /// <paramref name="shares"/>, or when <paramref name="report"/>'s assessment belongs to no verified service, every probe here.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<VulnerabilityReport> VulnerabilitiesAsync(EndpointConnections connections, EndpointReport report,
        TlsAssessmentReport assessment, AssessmentShares? shares, CancellationToken cancellationToken) =>
        shares?.ServiceOf(connections.Endpoint, assessment) is { } service
            ? _sharedPhases.VulnerabilitiesAsync(connections, report, assessment, service, cancellationToken)
            : VulnerabilitiesAsync(connections, assessment, cancellationToken);

    /// <summary>Phase 3: every client profile, one connection each.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<ClientSimulationReport> ClientSimulationAsync(EndpointConnections connections, CancellationToken cancellationToken) =>
        _followUps.ClientSimulationAsync(connections.Counter, connections.Endpoint.Domain, Alpn(connections.Endpoint), cancellationToken);

    /// <summary>Phase 3 shared between the endpoints of one verified TLS service that offer the same ALPN (issue 14).</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<ClientSimulationReport> ClientSimulationAsync(EndpointConnections connections, EndpointReport report,
        TlsAssessmentReport assessment, AssessmentShares? shares, CancellationToken cancellationToken) =>
        shares?.ServiceOf(connections.Endpoint, assessment) is { } service
            ? _sharedPhases.ClientSimulationAsync(connections, report, Alpn(connections.Endpoint), service, cancellationToken)
            : ClientSimulationAsync(connections, cancellationToken);

    /// <summary>XEP-0368: direct TLS clients and servers announce <c>xmpp-client</c> / <c>xmpp-server</c>.</summary>
    private static IReadOnlyList<string>? Alpn(XmppEndpoint endpoint) => endpoint.Transport == TlsTransport.DirectTls
        ? [endpoint.Mode == XmppMode.S2S ? "xmpp-server" : "xmpp-client"]
        : null;
}
