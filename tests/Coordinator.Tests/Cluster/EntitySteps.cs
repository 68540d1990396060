using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// Scan steps that do no I/O for the entity tests: discovery of one endpoint on 192.0.2.7 and a TLS session on it, as
/// outcomes and as <see cref="GatedStep"/>s held until the test opens them.
/// </summary>
internal static class EntitySteps
{
    public static StepOutcome Discovered(StepInput input) => StepOutcome.Done([
        new EndpointDiscovered(input.Domain, XmppMode.C2S, TlsTransport.StartTls, "xmpp." + input.Domain, "192.0.2.7", 5222, 0, 5, EndpointSource.Srv),
        new DiscoveryCompleted(input.Domain, XmppMode.C2S, new DnsReport([], false, false, DnssecStatus.Insecure, []), 1)]);

    public static StepOutcome Observed(StepInput input) => StepOutcome.Done(
        new EndpointSessionObserved(input.Mode, input.EndpointIndex!.Value, new EndpointReport("xmpp." + input.Domain, "192.0.2.7", 5222,
            TlsTransport.StartTls, 0, 5, EndpointSource.Srv, ProbeStatus.Completed, null, null, new TlsSessionReport("TLSv1.3", null, null), null, 12)));

    public static GatedStep Discover() => new("discover", Discovered);

    public static GatedStep Session() => new("session", Observed);
}

/// <summary>A step held until the test opens it (a cancelled run ends with the cancellation, as a real step's I/O
/// does); <see cref="Entered"/> completes when the first run started.</summary>
internal sealed class GatedStep(string name, Func<StepInput, StepOutcome> outcome) : IScanStep
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public string Name => name;

    public Task Entered => _entered.Task;

    public int Runs => Volatile.Read(ref _runs);

    public GatedStep Open()
    {
        _open.TrySetResult();
        return this;
    }

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        Interlocked.Increment(ref _runs);
        _entered.TrySetResult();
        await _open.Task.WaitAsync(ct);
        return outcome(input);
    }
}
