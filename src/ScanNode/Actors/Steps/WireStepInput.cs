using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// What the wire-level steps after <c>session</c> share: the endpoint's report so far (the session's, with what
/// earlier steps merged in), the connections — pipelined once the session proved STARTTLS safe to pipeline, as
/// <c>xmppscan scan</c> does — and the rule that a throttled connection makes the whole step inconclusive.
/// </summary>
internal static class WireStepInput
{
    /// <summary>The endpoint's report as the state has it; null when the session left none.</summary>
    public static EndpointReport? Report(StepInput input) =>
        input.EndpointIndex is { } i && input.State.Mode(input.Mode).Reports.TryGetValue(i, out var report) ? report : null;

    public static XmppEndpoint Endpoint(StepInput input, string step) =>
        input.Endpoint ?? throw new ArgumentException($"the {step} step runs on an endpoint", nameof(input));

    public static EndpointConnections Open(EndpointAssessor assessor, XmppEndpoint endpoint, EndpointReport session) =>
        assessor.Open(endpoint, EndpointOutcome.PipelineProven(endpoint.Transport, session.Tls?.Protocol is not null, session.Xmpp));

    /// <summary>Nothing to do on this endpoint (no TLS, no assessment to build on): recorded, not failed.</summary>
    public static StepOutcome Skipped { get; } = new(StepStatus.Skipped, null, []);

    /// <summary>
    /// A connection of the step was refused by throttling: what the probes concluded may be the throttling talking
    /// ("suite refused", "version not supported"), so no fact is kept; the runner backs off and retries, then records
    /// the step inconclusive.
    /// </summary>
    public static StepOutcome? IfThrottled(EndpointConnections connections, string step) =>
        connections.Factory.Throttled is { } failure
            ? new StepOutcome(StepStatus.Inconclusive, failure with { Message = $"{step}: throttled: {failure.Message}" }, [], Throttled: true)
            : null;
}
