using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>What to plan: the census's name, its targets and how it scans.</summary>
public sealed record CensusPlanRequest(string Name, TargetList Targets, CensusSettings Settings, string GradingPolicy,
    IReadOnlyList<string> Regions, ShardKeyPolicy KeyPolicy = ShardKeyPolicy.PerAddress);

/// <summary>What planning did: the census (new or resumed), targets added, skipped as blocked, and the shard plan.
/// <c>StoredSettingsWin</c>: the census existed with other settings than the request's, and its stored ones are used
/// (the command line tells the user). <c>Discovery</c>: what planning resolved, for a node in this process to scan
/// without resolving again (<see cref="NodeOptions.PlannedDiscovery"/>); the same results are kept in the store for the
/// nodes of other processes.</summary>
public sealed record CensusPlanOutcome(CensusInfo Census, bool Resumed, int Added, int AlreadyThere, IReadOnlyList<string> Blocked,
    int Discovered, PlanResult Plan, bool StoredSettingsWin = false, PlannedDiscovery? Discovery = null);

/// <summary>
/// Plans a census: creates it (or finds it by name: the same command resumes), adds the targets the blocklist
/// allows, then a discovery phase resolves every not yet planned target's endpoints in every mode and the
/// store cuts shards by endpoint address, so every domain hosted on one server lands in one shard and per-IP
/// limits hold cluster-wide. Blocked addresses are left out of the plan (and refused at connect time). Every discovery
/// result that may be reused is kept until its answers' shortest TTL runs out on <paramref name="time"/>, in memory for a
/// node of this process and in the store for the others, so each target is resolved once. Logs under the category
/// <c>planner</c>.
/// </summary>
public sealed class CensusPlanner(ICensusStore store, ILoggerFactory logging, int discoveryParallelism = 16, TimeProvider? time = null)
{
    private readonly ILogger _log = logging.CreateLogger("planner");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<CensusPlanOutcome> PlanAsync(CensusPlanRequest request, CancellationToken ct)
    {
        var census = await store.FindCensusAsync(request.Name, ct).ConfigureAwait(false);
        var resumed = census is not null;
        if (census is null)
        {
            try
            {
                census = await store.CreateCensusAsync(new CensusDefinition(request.Name, request.Settings.ToJson(),
                    request.GradingPolicy, request.Regions), ct).ConfigureAwait(false);
            }
            catch (CensusExistsException)
            {
                census = await store.FindCensusAsync(request.Name, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"census {request.Name} vanished");
                resumed = true;
            }
        }

        var settings = CensusSettings.FromJson(census.SettingsJson);
        var storedWin = resumed && settings.ToJson() != request.Settings.ToJson();

        var blocklist = Blocklist.Parse(settings.Blocklist, out _);
        var blocked = request.Targets.Domains.Where(blocklist.IsBlocked).ToList();
        var added = await store.AddTargetsAsync(census.CensusId, request.Targets.Domains.Where(d => !blocklist.IsBlocked(d)), ct)
            .ConfigureAwait(false);

        var progress = await store.GetProgressAsync(census.CensusId, ct).ConfigureAwait(false);
        var plan = new PlanResult(0, 0, 0);
        var discovered = 0;
        var planned = new PlannedDiscovery(census.CensusId, _time);
        if (progress.Any(p => p.TargetsPlanned < p.TargetsTotal))
        {
            var targets = new List<TargetRef>();
            for (string? after = null; ;)
            {
                var page = await store.ListTargetsAsync(census.CensusId, after, 1000, ct).ConfigureAwait(false);
                targets.AddRange(page);
                if (page.Count < 1000)
                {
                    break;
                }

                after = page[^1].Domain;
            }

            var (endpoints, kept) = await DiscoverAsync(targets, settings, blocklist, planned, ct).ConfigureAwait(false);
            discovered = endpoints.Count;
            // Before the plan: once its shards exist a node may start on them, and should find what planning resolved.
            await store.KeepDiscoveryAsync(census.CensusId, kept, ct).ConfigureAwait(false);
            plan = await store.PlanShardsAsync(census.CensusId, endpoints, request.KeyPolicy, ct).ConfigureAwait(false);
        }

        return new CensusPlanOutcome(census, resumed, added.Added.Count, added.Duplicates.Count, blocked, discovered, plan, storedWin, planned);
    }

    /// <summary>Every target's endpoints in every mode; each result also kept in <paramref name="planned"/> (the discover
    /// step of a node in this process takes it instead of resolving again: each target is resolved once) and returned as a
    /// store row for the nodes of other processes, when it may be reused (<see cref="Keep"/>).</summary>
    private async Task<(IReadOnlyList<TargetEndpoints> Endpoints, IReadOnlyList<PlannedDiscoveryRow> Kept)> DiscoverAsync(
        IReadOnlyList<TargetRef> targets, CensusSettings settings, Blocklist blocklist, PlannedDiscovery planned, CancellationToken ct)
    {
        var dns = new DnsResolver(CensusScanContext.DnsOptions(settings));
        var discovery = new EndpointDiscovery(dns);
        var modes = settings.Modes.Select(m => m == "s2s" ? XmppMode.S2S : XmppMode.C2S).Distinct().ToList();
        var results = new ConcurrentBag<TargetEndpoints>();
        var kept = new ConcurrentBag<PlannedDiscoveryRow>();
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = discoveryParallelism, CancellationToken = ct },
            async (target, c) =>
            {
                var addresses = new HashSet<IPAddress>();
                foreach (var mode in modes)
                {
                    var found = await discovery.DiscoverAsync(target.Domain, mode, c).ConfigureAwait(false);
                    planned.Add(found);
                    if (Keep(target, found) is { } row)
                    {
                        kept.Add(row);
                    }

                    addresses.UnionWith(found.Endpoints.Select(e => e.Address).Where(a => !blocklist.IsBlocked(a)));
                }

                results.Add(new TargetEndpoints(target.TargetId, [.. addresses]));
            }).ConfigureAwait(false);
        _log.LogInformation("discovery: {Resolved} targets resolved, {Unresolved} without addresses", results.Count,
            results.Count(r => r.Addresses.Count == 0));
        return ([.. results], [.. kept]);
    }

    /// <summary>The store row of a result just resolved, valid for its shortest TTL from now; null when it must not be
    /// reused (a failed lookup or a TTL of 0: the node asks again, as <see cref="PlannedDiscovery"/> does) or is too long to
    /// keep.</summary>
    private PlannedDiscoveryRow? Keep(TargetRef target, DiscoveryResult found) =>
        found.ValidFor is { } valid && valid > TimeSpan.Zero && DiscoveryCodec.Write(found) is { } text
            ? new PlannedDiscoveryRow(target.TargetId, found.Mode.Name(), text, _time.GetUtcNow() + valid)
            : null;
}
