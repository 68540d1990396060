using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>Told when a server throttles us, so every later connection to it waits longer.</summary>
public interface IThrottleFeedback
{
    /// <summary>The server at <paramref name="endpoint"/> pushed back; no connection to it before <paramref name="wait"/> passed.</summary>
    void BackOff(XmppEndpoint endpoint, TimeSpan wait);
}

/// <summary>
/// Runs one step with the census's back-off: a throttled outcome backs the address off (doubling from
/// <c>BackoffSeconds</c>) and retries, up to <c>MaxAttempts</c>; then the step is recorded inconclusive. Each step's
/// start and end is told to <c>progress</c>.
/// </summary>
public sealed class StepRunner(PolitenessSettings politeness, IThrottleFeedback? throttle = null, IScanProgress? progress = null)
{
    public async Task<RecordStepResult> RunAsync(IScanStep step, StepKey key, StepInput input, CancellationToken ct)
    {
        progress?.StepStarted(input.Domain, input.Endpoint, key.Step);
        RecordStepResult result;
        try
        {
            result = await RunWithRetriesAsync(step, key, input, ct).ConfigureAwait(false);
        }
        finally
        {
            progress?.StepFinished(input.Domain, input.Endpoint, key.Step);
        }

        NodeMetrics.Steps.Add(1, new KeyValuePair<string, object?>("step", key.Step),
            new KeyValuePair<string, object?>("status", result.Status.ToString().ToLowerInvariant()));
        return result;
    }

    private async Task<RecordStepResult> RunWithRetriesAsync(IScanStep step, StepKey key, StepInput input, CancellationToken ct)
    {
        var attempts = Math.Max(1, politeness.MaxAttempts);
        StepOutcome outcome = null!;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            outcome = await step.RunAsync(input, ct).ConfigureAwait(false);
            if (!outcome.Throttled || input.Endpoint is null)
            {
                return new RecordStepResult(key, outcome.Status, outcome.Failure, attempt, outcome.Facts);
            }

            throttle?.BackOff(input.Endpoint, TimeSpan.FromSeconds(politeness.BackoffSeconds * Math.Pow(2, attempt - 1)));
        }

        return new RecordStepResult(key, StepStatus.Inconclusive, outcome.Failure, attempts, outcome.Facts);
    }
}
