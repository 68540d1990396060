using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// One step of a target's scan: a name, where it runs (once per mode, or on every endpoint), and
/// <see cref="RunAsync"/>, which records facts as events. A step never throws for what a server does; it
/// reports a status. New probes (protocols, suites, key exchange, vulnerabilities) are new steps in the
/// <see cref="ScanStepRegistry"/>; the actor and the state machine do not change.
/// </summary>
public interface IScanStep
{
    /// <summary>Stable snake_case name, stored in <c>scan_step_completed</c>.</summary>
    string Name { get; }

    /// <summary>Runs the step. <paramref name="input"/> names the target, mode and (for endpoint steps) the endpoint.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct);
}

/// <summary>What a step runs on: the service domain, the mode, the endpoint (null for target-level steps) and
/// what the target knows so far (earlier steps' facts).</summary>
public sealed record StepInput(string Domain, XmppMode Mode, int? EndpointIndex, XmppEndpoint? Endpoint, TargetState State);

/// <summary>
/// How a step ended and the facts it found. <see cref="Throttled"/>: the server reset us or said
/// <c>policy-violation</c>; the runner backs off and retries, and records <see cref="StepStatus.Inconclusive"/>
/// when retries run out — a throttled result never becomes a negative finding.
/// </summary>
public sealed record StepOutcome(StepStatus Status, ProbeFailure? Failure, IReadOnlyList<IEventData> Facts, bool Throttled = false)
{
    public static StepOutcome Done(params IEventData[] facts) => new(StepStatus.Completed, null, facts);
}
