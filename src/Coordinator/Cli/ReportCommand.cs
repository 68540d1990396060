using System.CommandLine;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Coordinator.Store;
using static XmppScanCluster.Coordinator.Output.TerminalText;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// <c>xmppscan report [--store S] [--census NAME] [--compare NAME] [--policy P] [--region R] --out DIR</c>: writes the
/// static census site (overview charts, domain table, a page and a badge per domain, comparison, CSV/JSON). The
/// latest census when none is named; compared with the census created before it unless <c>--compare</c> names
/// another (or <c>--no-compare</c>). Bad input — unknown census, empty store, unwritable directory — is one line
/// and exit code 2, before any work.
/// </summary>
public static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new Option<string>("--store") { Description = "sqlite:PATH (default ./xmppscan.db) or postgres://user@host:port/db", DefaultValueFactory = _ => "xmppscan.db" };
        var census = new Option<string?>("--census", "--name") { Description = "Census name (default: the latest)", HelpName = "NAME" };
        var compare = new Option<string?>("--compare") { Description = "Census to compare with (default: the one created before)" };
        var noCompare = new Option<bool>("--no-compare") { Description = "Leave out the comparison" };
        var policy = new Option<string?>("--policy") { Description = "Grading policy (default: the census's own)" };
        policy.AcceptOnlyFromAmong([.. Policies.All.Select(p => p.Name)]);
        var region = new Option<string?>("--region") { Description = "Region the site shows (default: the census's first)" };
        var output = new Option<string>("--out") { Description = "Directory to write the site into (created if missing)", Required = true, HelpName = "DIR" };
        var command = new Command("report", "Write the census site: charts, domain table, a page and badge per domain, comparison, CSV/JSON");
        foreach (var option in new Option[] { store, census, compare, noCompare, policy, region, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var summary = await RunAsync(parse.GetValue(store)!, parse.GetValue(census), parse.GetValue(noCompare) ? "" : parse.GetValue(compare),
                    parse.GetValue(policy), parse.GetValue(region), parse.GetValue(output)!, stdout, ct).ConfigureAwait(false);
                await stdout.WriteLineAsync($"open {new Uri(summary.IndexPath).AbsoluteUri}").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (UsageException e)
            {
                await stderr.WriteLineAsync($"xmppscan report: {Safe(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    // compareName: null = the census created before; empty = no comparison; else that census.
    private static async Task<SiteSummary> RunAsync(string storeUri, string? censusName, string? compareName, string? policyName,
        string? region, string outDir, TextWriter stdout, CancellationToken ct)
    {
        var opened = await CliStore.OpenAsync(storeUri, create: false, ct).ConfigureAwait(false);
        await using (opened.ConfigureAwait(false))
        {
            var all = await opened.ListCensusesAsync(ct).ConfigureAwait(false);
            if (all.Count == 0)
            {
                throw new UsageException("the store holds no census (run xmppscan census first)");
            }

            var index = censusName is null ? all.Count - 1 : IndexOf(all, censusName);
            var chosen = all[index];
            // An unknown --compare name is a usage error before anything is written.
            var compareIndex = compareName is { Length: > 0 } ? IndexOf(all, compareName) : -1;
            var policyToUse = policyName ?? chosen.GradingPolicy;
            if (!Policies.TryGet(policyToUse, out var grading))
            {
                throw new UsageException($"unknown policy '{policyToUse}'");
            }

            if (region is not null && !chosen.Regions.Contains(region))
            {
                throw new UsageException($"--region {region}: census '{chosen.Name}' has regions {string.Join(", ", chosen.Regions)}");
            }

            var target = CheckWritable(outDir);
            var view = await CensusView.LoadAsync(opened, chosen, grading, region, ct).ConfigureAwait(false);
            var trend = await CensusTrend.LoadAsync(opened, all, index, view, grading, ct).ConfigureAwait(false);
            // By default the comparison is with the latest earlier census of the same targets (the trend's point before
            // this one), not merely the one created before: a census of other domains has nothing to compare.
            var previous = compareName switch
            {
                null => trend.Count > 1 ? all.Last(c => c.Name == trend[^2].Name && c.CreatedAt == trend[^2].CreatedAt) : null,
                "" => null,
                _ => all[compareIndex],
            };
            await stdout.WriteLineAsync($"xmppscan report: census '{Safe(chosen.Name)}' ({chosen.State.Name()}), policy {grading.Name}"
                + (previous is null ? "" : $", compared with '{Safe(previous.Name)}'")).ConfigureAwait(false);
            CensusComparison? comparison = null;
            if (previous is not null)
            {
                var before = await CensusView.LoadAsync(opened, previous, grading, null, ct).ConfigureAwait(false);
                comparison = CensusComparison.Compare(previous.Name, previous.CreatedAt, before.Rows, view.Rows);
            }

            try
            {
                var summary = await SiteWriter.WriteAsync(target, view, comparison, DateTimeOffset.UtcNow, ct, trend).ConfigureAwait(false);
                await stdout.WriteLineAsync($"xmppscan report: {summary.Results} results, {summary.DomainPages} domain pages written to {summary.Directory}")
                    .ConfigureAwait(false);
                return summary;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--out {target}: cannot write: {e.Message}");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<CensusInfo> all, string name)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].Name == name)
            {
                return i;
            }
        }

        throw new UsageException($"no census named '{name}' (the store has: {string.Join(", ", all.Select(c => c.Name))})");
    }

    /// <summary>Creates the directory and writes a probe file, so an unwritable target fails before minutes of work
    /// (checked after the store and census, so a wrong name leaves no empty directory behind).</summary>
    private static string CheckWritable(string outDir)
    {
        var full = Path.GetFullPath(outDir);
        if (File.Exists(full))
        {
            throw new UsageException($"--out {full}: is a file, not a directory");
        }

        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".xmppscan-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {full}: cannot write: {e.Message}");
        }
    }
}
