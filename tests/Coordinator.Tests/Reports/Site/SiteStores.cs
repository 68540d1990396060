using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

/// <summary>Stores written through the store API as a node would (domain_scan_completed per result), and the CLI run
/// in-process — for site tests that need results no testbed server produces.</summary>
internal static class SiteStores
{
    /// <summary>Creates a census and appends one result per report (several reports of one domain: its modes).</summary>
    public static async Task AddCensusAsync(string storeUri, string name, IReadOnlyList<DomainReport> reports)
    {
        await using var store = await StoreFactory.OpenAsync(storeUri);
        var census = await store.CreateCensusAsync(new CensusDefinition(name, "{}", Coordinator.Grading.Policies.SslLabs, ["default"]));
        var domains = reports.Select(r => r.Domain.ToLowerInvariant()).Distinct().ToList();
        var targets = (await store.AddTargetsAsync(census.CensusId, domains)).Added.ToDictionary(t => t.Domain);
        foreach (var group in reports.GroupBy(r => r.Domain.ToLowerInvariant()))
        {
            var origin = new EventOrigin(census.CensusId, TargetStreams.For(targets[group.Key].TargetId, "default"), "import", "default");
            await store.AppendAsync([.. group.Select((r, i) => EventTypeRegistry.Default.Create(new DomainScanCompleted(r), origin, i + 1, DateTimeOffset.UtcNow))]);
        }

        await store.SetCensusStateAsync(census.CensusId, CensusState.Completed);
    }

    public static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => InProcessCli.RunCliAsync(args);
}
