using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// Protocols (SSLv2 … TLS 1.3), the suites each accepts in the server's order, key exchange groups and signature
/// algorithms, checked against the endpoint's own session (a contradiction is recorded, the contradicted version
/// inconclusive): <see cref="EndpointAssessor.AssessWithChainAsync(EndpointConnections, TlsSessionReport?, AssessmentShares?, CancellationToken)"/>, the same code as <c>xmppscan scan</c>. Fact: <c>endpoint_tls_assessed</c>, whose <c>chain_sha256</c> names the chain the engine's
/// handshakes received (its DER goes to the certificate table, as the session's does). Runs on every endpoint whose
/// session reached the TLS handshake, whether or not a TLS library finished it (<see cref="EndpointOutcome.Assessable"/>);
/// skipped only where there is no TLS to enumerate (refused, no STARTTLS, a stream error). With <paramref name="shares"/>,
/// the endpoints of one address share a full assessment after a verification (issue 14; the fact's <c>sharing</c> says
/// which assessment and which hellos) — in <c>xmppscan scan</c> and the census alike.
/// </summary>
public sealed class TlsAssessmentStep(EndpointAssessor assessor, ICertificateSink? sink = null, AssessmentShares? shares = null) : IScanStep
{
    public const string StepName = "tls_assessment";

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = WireStepInput.Endpoint(input, StepName);
        if (WireStepInput.Report(input) is not { } session || !EndpointOutcome.Assessable(session))
        {
            return WireStepInput.Skipped;
        }

        var connections = WireStepInput.Open(assessor, endpoint, session);
        var (assessment, chain) = await assessor.AssessWithChainAsync(connections, session.Tls, shares, ct).ConfigureAwait(false);
        if (WireStepInput.IfThrottled(connections, StepName) is { } throttled)
        {
            return throttled;
        }

        if (chain.Count > 0 && sink is not null)
        {
            await sink.PutAsync(chain, ct).ConfigureAwait(false);
        }

        var completed = assessment.Status == ProbeStatus.Completed;
        return new StepOutcome(completed ? StepStatus.Completed : StepStatus.Failed, completed ? null : assessment.Failure,
            [new EndpointTlsAssessed(input.Mode, input.EndpointIndex!.Value, assessment)]);
    }
}
