using System.Collections.Frozen;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The steps a target actor runs: the discover step (once per mode) and the endpoint steps in order. A new
/// probe joins by being passed here where the node composes its steps (<see cref="ScanStepCatalog"/>); the
/// order of the list is the order on every endpoint, and it is written into <c>target_scan_started</c>, so a
/// target resumed after an upgrade keeps the steps it started with (unknown names are skipped).
/// </summary>
public sealed class ScanStepRegistry
{
    private readonly FrozenDictionary<string, IScanStep> _endpointSteps;

    public ScanStepRegistry(IScanStep discover, IReadOnlyList<IScanStep> endpointSteps)
    {
        if (discover.Name != TargetStateMachine.DiscoverStep)
        {
            throw new ArgumentException($"the discover step must be named '{TargetStateMachine.DiscoverStep}'", nameof(discover));
        }

        Discover = discover;
        EndpointStepNames = endpointSteps.Select(s => s.Name).ToArray();
        if (EndpointStepNames.Distinct(StringComparer.Ordinal).Count() != EndpointStepNames.Count || EndpointStepNames.Contains(discover.Name))
        {
            throw new ArgumentException("step names must be unique", nameof(endpointSteps));
        }

        _endpointSteps = endpointSteps.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IScanStep Discover { get; }

    /// <summary>Endpoint step names in run order.</summary>
    public IReadOnlyList<string> EndpointStepNames { get; }

    /// <summary>The step of a name; null for a name this build does not have.</summary>
    public IScanStep? Find(string name) =>
        name == Discover.Name ? Discover : _endpointSteps.GetValueOrDefault(name);
}
