using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Messages;

/// <summary>A command to a target actor. Commands are imperative; the actor answers with events (past tense).</summary>
public interface ITargetCommand;

/// <summary>Which step runs where: a step name, a mode, and the endpoint index (null for target-level steps).</summary>
public sealed record StepKey(string Step, XmppMode Mode, int? EndpointIndex)
{
    public override string ToString() => EndpointIndex is { } i ? $"{Mode.Name()}/{Step}#{i}" : $"{Mode.Name()}/{Step}";
}

/// <summary>Start (or, when already started, continue) scanning a target with these modes and endpoint steps.</summary>
public sealed record StartTargetScan(Guid TargetId, string Domain, IReadOnlyList<XmppMode> Modes, IReadOnlyList<string> EndpointSteps)
    : ITargetCommand;

/// <summary>
/// Record what one step found. Accepted only for the step the state says is next; anything else (a
/// redelivery, a late answer) yields no events.
/// </summary>
/// <param name="Key">The step that ran.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Failure">Why, when not completed.</param>
/// <param name="Attempts">Tries it took.</param>
/// <param name="Facts">The fact events the step produced, in order.</param>
public sealed record RecordStepResult(StepKey Key, StepStatus Status, ProbeFailure? Failure, int Attempts,
    IReadOnlyList<IEventData> Facts) : ITargetCommand;

/// <summary>
/// Give the target up (its steps kept failing on this software, not on the server): every mode without a result
/// gets a failed one with <paramref name="Reason"/>, and the target is completed as failed, so the census ends.
/// </summary>
public sealed record AbandonTargetScan(ProbeFailure Reason) : ITargetCommand;
