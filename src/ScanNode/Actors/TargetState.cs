using System.Collections.Immutable;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>
/// What a target actor knows, rebuilt from its events alone: the plan (modes, endpoint steps), per mode what
/// discovery found and which steps are done, and whether the per-domain results were written. Immutable;
/// <see cref="TargetStateMachine.Evolve"/> makes the next one.
/// </summary>
public sealed record TargetState
{
    public static TargetState Empty { get; } = new();

    public string? Domain { get; init; }

    public ImmutableArray<XmppMode> Modes { get; init; } = [];

    public ImmutableArray<string> EndpointSteps { get; init; } = [];

    public ImmutableDictionary<XmppMode, ModeProgress> ByMode { get; init; } = ImmutableDictionary<XmppMode, ModeProgress>.Empty;

    /// <summary><c>target_scan_completed</c> was written: nothing more to do.</summary>
    public bool Completed { get; init; }

    /// <summary>The outcome written with <c>target_scan_completed</c>.</summary>
    public ProbeStatus? Outcome { get; init; }

    /// <summary>Highest sequence applied; the next event gets this + 1.</summary>
    public long LastSequence { get; init; }

    public bool Started => Domain is not null;

    public ModeProgress Mode(XmppMode mode) => ByMode.TryGetValue(mode, out var p) ? p : ModeProgress.Empty;
}

/// <summary>The progress of one mode (c2s or s2s) of a target.</summary>
public sealed record ModeProgress
{
    public static ModeProgress Empty { get; } = new();

    /// <summary>The discover step is done (<see cref="Dns"/> set, or discovery failed).</summary>
    public bool Discovered { get; init; }

    public DnsReport? Dns { get; init; }

    public ImmutableList<EndpointDiscovered> Endpoints { get; init; } = [];

    /// <summary>The certificates each endpoint's session presented (SHA-256, leaf first), by endpoint index: a later
    /// step reads their DER from the store's certificate table.</summary>
    public ImmutableDictionary<int, ImmutableList<string>> Chains { get; init; } = ImmutableDictionary<int, ImmutableList<string>>.Empty;

    /// <summary>The endpoint reports found so far, by endpoint index.</summary>
    public ImmutableDictionary<int, EndpointReport> Reports { get; init; } = ImmutableDictionary<int, EndpointReport>.Empty;

    /// <summary>Endpoint steps done: (step, endpoint index) → how it ended.</summary>
    public ImmutableDictionary<(string Step, int Index), ScanStepCompleted> Done { get; init; } =
        ImmutableDictionary<(string, int), ScanStepCompleted>.Empty;

    /// <summary>Why discovery failed, when it did.</summary>
    public ProbeFailure? DiscoveryFailure { get; init; }

    /// <summary><c>domain_scan_completed</c> for this mode was written.</summary>
    public DomainReport? Report { get; init; }
}
