using System.Net;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Progress;

/// <summary>
/// Counts a running scan or census where its time goes: targets, endpoints and their steps, connections done, and
/// the politeness waits. The planned number of connections is an estimate that sharpens as it runs: a finished step
/// counts what it really used, a step not yet run counts the mean of that step on the endpoints that ran it (or
/// <see cref="StepCosts"/> before any did), and a target not yet discovered counts the mean number of endpoints of
/// the discovered ones. The ETA is the connections left at the rate of this run so far (waits included), so it moves
/// with every connection and grows while nothing happens.
/// </summary>
public sealed class ScanProgress : IScanProgress
{
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _steps;
    private readonly int _modes;
    private readonly DateTimeOffset _started;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Target> _targets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (int Sum, int Count)> _stepActuals = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, (DateTimeOffset Until, WaitReason Reason)> _waits = [];
    private int _targetsTotal;
    private int _targetsDone;
    private int _connections;

    /// <param name="endpointSteps">The steps every endpoint runs, in order (<c>ScanStepCatalog.EndpointStepNames</c>).</param>
    /// <param name="modes">Modes per target (c2s, s2s): endpoints per target before any was discovered.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    public ScanProgress(IReadOnlyList<string> endpointSteps, int modes = 1, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _steps = endpointSteps;
        _modes = Math.Max(1, modes);
        _started = _time.GetUtcNow();
    }

    /// <summary>Targets of the whole run, and how many of them were already done (a resumed census).</summary>
    public void SetTargets(int total, int alreadyDone)
    {
        lock (_lock)
        {
            _targetsTotal = total;
            _targetsDone = Math.Min(alreadyDone, total);
        }
    }

    public void StepStarted(string domain, XmppEndpoint? endpoint, string step)
    {
        lock (_lock)
        {
            var target = TargetOf(domain);
            if (endpoint is null)
            {
                target.Step = step;
                return;
            }

            var e = EndpointOf(target, endpoint);
            e.Step = step;
            e.InStep = 0;
        }
    }

    public void StepFinished(string domain, XmppEndpoint? endpoint, string step)
    {
        lock (_lock)
        {
            var target = TargetOf(domain);
            if (endpoint is null)
            {
                target.Step = null;
                target.Discovered = true;
                return;
            }

            var e = EndpointOf(target, endpoint);
            if (e.Step == step && e.Finished.Add(step))
            {
                e.Actual += e.InStep;
                var (sum, count) = _stepActuals.GetValueOrDefault(step);
                _stepActuals[step] = (sum + e.InStep, count + 1);
            }

            e.Step = null;
            e.InStep = 0;
        }
    }

    public void Waiting(IPAddress address, TimeSpan wait, WaitReason reason)
    {
        lock (_lock)
        {
            _waits[Normalize(address)] = (_time.GetUtcNow() + wait, reason);
        }
    }

    public void ConnectionOpened(XmppEndpoint endpoint)
    {
        lock (_lock)
        {
            _waits.Remove(Normalize(endpoint.Address));
            _connections++;
            var e = EndpointOf(TargetOf(endpoint.Domain), endpoint);
            e.Connections++;
            e.InStep++;
        }
    }

    public void TargetFinished(string domain)
    {
        lock (_lock)
        {
            var target = TargetOf(domain);
            if (!target.Done)
            {
                target.Done = true;
                target.Discovered = true;
                _targetsDone = Math.Min(_targetsDone + 1, Math.Max(_targetsTotal, _targetsDone + 1));
            }
        }
    }

    /// <summary>Where the run is now.</summary>
    public ProgressSnapshot Snapshot()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var perEndpoint = _steps.Sum(MeanOf);
            var left = 0.0;
            var active = new List<ActiveStep>();
            foreach (var target in _targets.Values.Where(t => !t.Done))
            {
                if (target.Step is { } discovering)
                {
                    active.Add(new ActiveStep(target.Domain, null, discovering, 0, 0));
                }

                foreach (var e in target.Endpoints.Values)
                {
                    var planned = e.Actual + _steps.Where(s => !e.Finished.Contains(s))
                        .Sum(s => s == e.Step ? Running(MeanOf(s), e.InStep) : MeanOf(s));
                    left += Math.Max(0, planned - e.Connections);
                    if (e.Step is { } step)
                    {
                        active.Add(new ActiveStep(target.Domain, e.Where, step, e.Connections, (int)Math.Round(planned)));
                    }
                }

                if (!target.Discovered && target.Endpoints.Count == 0)
                {
                    left += EndpointsPerTarget() * perEndpoint;
                }
            }

            var notStarted = Math.Max(0, _targetsTotal - _targetsDone - _targets.Values.Count(t => !t.Done));
            left += notStarted * EndpointsPerTarget() * perEndpoint;

            var elapsed = now - _started;
            TimeSpan? eta = _connections > 0 && elapsed > TimeSpan.Zero
                ? TimeSpan.FromSeconds(Math.Round(left * elapsed.TotalSeconds / _connections))
                : null;
            var waits = _waits.Where(w => w.Value.Until > now)
                .Select(w => new PolitenessWait(w.Key, w.Value.Until - now, w.Value.Reason))
                .OrderBy(w => w.Address.ToString(), StringComparer.Ordinal).ToList();
            return new ProgressSnapshot(_targetsDone, _targetsTotal, _connections, _connections + (int)Math.Round(left), eta,
                elapsed, active, waits);
        }
    }

    /// <summary>A running step's expected total: its mean, or once it has used that many, half the mean more (a server
    /// with more suites than the others so far; never "done" while it still runs).</summary>
    private static double Running(double mean, int soFar) => soFar <= mean ? mean : soFar + Math.Max(1, Math.Ceiling(mean / 2));

    private double MeanOf(string step) =>
        _stepActuals.TryGetValue(step, out var a) && a.Count > 0 ? (double)a.Sum / a.Count : StepCosts.Expected(step);

    /// <summary>The mean number of endpoints of the targets discovered so far; the modes before any.</summary>
    private double EndpointsPerTarget()
    {
        var discovered = _targets.Values.Where(t => t.Discovered || t.Endpoints.Count > 0).ToList();
        return discovered.Count == 0 ? _modes : discovered.Average(t => t.Endpoints.Count);
    }

    private Target TargetOf(string domain)
    {
        if (!_targets.TryGetValue(domain, out var target))
        {
            target = new Target(domain);
            _targets[domain] = target;
        }

        return target;
    }

    private static EndpointProgress EndpointOf(Target target, XmppEndpoint endpoint)
    {
        var where = $"{endpoint.Mode.Name()} {Where(endpoint)}";
        if (!target.Endpoints.TryGetValue(where, out var e))
        {
            e = new EndpointProgress(Where(endpoint));
            target.Endpoints[where] = e;
        }

        return e;
    }

    private static string Where(XmppEndpoint e) =>
        e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{e.Port}" : $"{e.Address}:{e.Port}";

    private static IPAddress Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private sealed class Target(string domain)
    {
        public string Domain { get; } = domain;

        public string? Step { get; set; }

        public bool Discovered { get; set; }

        public bool Done { get; set; }

        public Dictionary<string, EndpointProgress> Endpoints { get; } = new(StringComparer.Ordinal);
    }

    private sealed class EndpointProgress(string where)
    {
        public string Where { get; } = where;

        public string? Step { get; set; }

        public HashSet<string> Finished { get; } = new(StringComparer.Ordinal);

        /// <summary>Connections of the finished steps.</summary>
        public int Actual { get; set; }

        public int InStep { get; set; }

        public int Connections { get; set; }
    }
}

/// <summary>A moment of a run, for the display.</summary>
/// <param name="TargetsDone">Targets finished (done or failed), including those of an earlier run.</param>
/// <param name="TargetsTotal">Targets of the run.</param>
/// <param name="ConnectionsDone">Connections this run opened.</param>
/// <param name="ConnectionsPlanned">The estimate of all connections this run opens (done included).</param>
/// <param name="Eta">Time left at this run's rate; null before the first connection.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Active">Steps running now.</param>
/// <param name="Waits">Connections held back by the politeness limits now.</param>
public sealed record ProgressSnapshot(int TargetsDone, int TargetsTotal, int ConnectionsDone, int ConnectionsPlanned, TimeSpan? Eta,
    TimeSpan Elapsed, IReadOnlyList<ActiveStep> Active, IReadOnlyList<PolitenessWait> Waits);

/// <summary>A step running on an endpoint (or the discovery of a domain: <paramref name="Where"/> null).</summary>
public sealed record ActiveStep(string Domain, string? Where, string Step, int Connections, int Planned);

/// <summary>A connection start held back: <paramref name="Remaining"/> more to wait.</summary>
public sealed record PolitenessWait(IPAddress Address, TimeSpan Remaining, WaitReason Reason);
