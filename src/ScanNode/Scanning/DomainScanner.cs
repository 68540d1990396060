using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>
/// Scans one service domain in one mode: discovers every endpoint, then runs one full XMPP + TLS session
/// on each, one endpoint at a time (politeness: never two connections to a server at once here), and
/// assesses the certificate chain (with <paramref name="inspector"/>: also per-key-type chains, OCSP staples and
/// DANE); with an <see cref="EndpointAssessor"/>, every endpoint that answers a ClientHello — whether or not a TLS
/// library finished the session (<see cref="EndpointOutcome"/>) — then gets the full wire-level TLS assessment, the
/// vulnerability probes and the client simulation (over the pipelined STARTTLS preamble once the session proved it
/// safe). A failing endpoint never loses the others' results. Each phase is told to <paramref name="progress"/> under
/// the census's step names.
/// </summary>
public sealed class DomainScanner(EndpointDiscovery discovery, XmppTlsSessionProbe session, CertificateAssessor certificates,
    CertificateInspector? inspector = null, EndpointAssessor? assessor = null, IScanProgress? progress = null)
{
    public async Task<DomainReport> ScanAsync(string domain, XmppMode mode, CancellationToken cancellationToken)
    {
        progress?.StepStarted(domain, null, "discover");
        var found = await discovery.DiscoverAsync(domain, mode, cancellationToken).ConfigureAwait(false);
        progress?.StepFinished(domain, null, "discover");
        var dns = new DnsReport(
            found.SrvRecords,
            found.ServiceDisabled,
            found.Endpoints.Any(e => e.Source == EndpointSource.AddressFallback),
            found.SrvDnssec,
            found.Problems);

        if (found.ServiceDisabled)
        {
            // RFC 2782 / RFC 6120 §3.2.1: a "." target says the service is decidedly not offered — a fact, not a failure.
            return new DomainReport(domain, mode, ProbeStatus.Completed, null, dns, []);
        }

        if (found.Endpoints.Count == 0)
        {
            var failure = found.Problems.FirstOrDefault()
                ?? new ProbeFailure(FailureKind.DnsFailure, $"no {mode.Name()} endpoint found for {domain}");
            return new DomainReport(domain, mode, ProbeStatus.Failed, failure, dns, []);
        }

        return await ScanEndpointsAsync(domain, mode, found.Endpoints, cancellationToken, dns).ConfigureAwait(false);
    }

    /// <summary>Scans the given endpoints of a domain (discovered, or named by the operator) one after another.</summary>
    public async Task<DomainReport> ScanEndpointsAsync(string domain, XmppMode mode, IReadOnlyList<XmppEndpoint> targets,
        CancellationToken cancellationToken, DnsReport? dns = null)
    {
        var endpoints = new List<EndpointReport>(targets.Count);
        foreach (var endpoint in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            endpoints.Add(await ScanEndpointAsync(endpoint, dns?.SrvDnssec ?? DnssecStatus.Unknown, cancellationToken).ConfigureAwait(false));
        }

        // A dead advertised endpoint is a finding, not a failure of the domain (DomainOutcome).
        return DomainOutcome.Combine(domain, mode, dns, endpoints);
    }

    private async Task<EndpointReport> ScanEndpointAsync(XmppEndpoint endpoint, DnssecStatus srvDnssec, CancellationToken cancellationToken)
    {
        var step = "session";
        progress?.StepStarted(endpoint.Domain, endpoint, step);
        void Phase(string next)
        {
            progress?.StepFinished(endpoint.Domain, endpoint, step);
            step = next;
            progress?.StepStarted(endpoint.Domain, endpoint, step);
        }

        try
        {
            return await ScanEndpointAsync(endpoint, srvDnssec, Phase, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress?.StepFinished(endpoint.Domain, endpoint, step);
        }
    }

    private async Task<EndpointReport> ScanEndpointAsync(XmppEndpoint endpoint, DnssecStatus srvDnssec, Action<string> phase,
        CancellationToken cancellationToken)
    {
        var result = await session.RunAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var report = new EndpointReport(endpoint.Target, endpoint.Address.ToString(), endpoint.Port, endpoint.Transport,
            endpoint.Priority, endpoint.Weight, endpoint.Source, EndpointOutcome.SessionStatus(result.Failure), result.Failure, result.Xmpp,
            EndpointOutcome.SessionReport(result), null, result.Elapsed.TotalMilliseconds);

        // The assessment first, on every endpoint that answers a ClientHello whatever the session managed: what it accepted
        // tells the certificate inspector which key-type chains can exist, and its handshakes carry the chain of a server
        // no TLS library finishes a handshake with.
        var wire = assessor is not null && EndpointOutcome.Assessable(report)
            ? await AssessAsync(assessor, endpoint, result, report.Tls, phase, cancellationToken).ConfigureAwait(false)
            : null;

        phase("certificate");
        var certificate = inspector is not null
            ? await inspector.InspectAsync(endpoint, result, srvDnssec, cancellationToken, wire?.Assessment, wire?.Chain).ConfigureAwait(false)
            : result.PresentedChain.Count > 0
                ? certificates.Assess(result.PresentedChain, endpoint.Domain, endpoint.Mode)
                : wire?.Chain is { Count: > 0 } engineChain
                    ? certificates.Assess(engineChain, endpoint.Domain, endpoint.Mode) with { Source = ChainSource.Assessment }
                    : null;

        report = report with { Certificate = certificate, Vulnerabilities = wire?.Vulnerabilities, ClientSimulation = wire?.ClientSimulation };
        return wire is null ? report : EndpointOutcome.WithAssessment(report, wire.Assessment);
    }

    /// <summary>The wire-level work; an exception escaping it (our bug: every server behaviour is classified at the
    /// probe that met it) fails this endpoint's assessment, never the endpoint's other facts or the scan.</summary>
    private static async Task<EndpointAssessment> AssessAsync(EndpointAssessor assessor, XmppEndpoint endpoint, TlsSessionResult session,
        TlsSessionReport? sessionReport, Action<string> phase, CancellationToken cancellationToken)
    {
        try
        {
            return await assessor.RunAsync(endpoint, PipelineProven(endpoint, session), cancellationToken, phase, sessionReport).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new EndpointAssessment(TlsAssessmentReport.Failed(Probes.WireFailures.Internal(e, "the TLS assessment")), null, null);
        }
    }

    /// <summary>
    /// The session (this endpoint's first connection) proved the STARTTLS preamble safe to pipeline (issue 4):
    /// the features offered STARTTLS, the server answered <c>&lt;starttls/&gt;</c> with <c>&lt;proceed/&gt;</c> and
    /// TLS was negotiated, without a stream error. Later connections then send the header and
    /// <c>&lt;starttls/&gt;</c> in one write.
    /// </summary>
    public static bool PipelineProven(XmppEndpoint endpoint, TlsSessionResult session) =>
        PipelineProven(endpoint.Transport, session.Protocol is not null, session.Xmpp);

    /// <summary>The same rule from what a session recorded (a census's later steps read it from the session's event).</summary>
    public static bool PipelineProven(TlsTransport transport, bool tlsNegotiated, XmppStreamFacts? xmpp) =>
        transport == TlsTransport.StartTls
        && tlsNegotiated
        && xmpp is not null
        && xmpp.StreamError is null
        && xmpp.PreTlsFeatures?.StartTls is StartTlsSupport.Offered or StartTlsSupport.Required;
}
