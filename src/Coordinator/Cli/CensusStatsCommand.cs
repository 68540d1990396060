using System.CommandLine;
using System.Text.Json;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// <c>xmppscan census stats [--store S] [--name N] [--policy P] [--region R] [--json]</c>: the census statistics,
/// graded now from the stored facts — another <c>--policy</c> re-grades a finished census without a new scan.
/// </summary>
public static class CensusStatsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new Option<string>("--store") { Description = "sqlite:PATH (default ./xmppscan.db) or postgres://user@host:port/db", DefaultValueFactory = _ => "xmppscan.db" };
        var name = new Option<string?>("--census", "--name") { Description = "Census name (may be left out when the store holds one census)", HelpName = "NAME" };
        var policy = new Option<string?>("--policy") { Description = "Grading policy (default: the census's own)" };
        policy.AcceptOnlyFromAmong([.. Grading.Policies.All.Select(p => p.Name)]);
        var region = new Option<string?>("--region") { Description = "Region the counts are of (default: the census's first)" };
        var json = new Option<bool>("--json") { Description = "Write JSON" };
        var command = new Command("stats", "Statistics of a census (grades, trust causes, protocols, keys, vantage disagreements)");
        foreach (var option in new Option[] { store, name, policy, region, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var opened = await CliStore.OpenAsync(parse.GetValue(store)!, create: false, ct).ConfigureAwait(false);

            await using (opened.ConfigureAwait(false))
            {
                var censusName = parse.GetValue(name);
                var all = censusName is null ? await opened.ListCensusesAsync(ct).ConfigureAwait(false) : [];
                var census = censusName is not null ? await opened.FindCensusAsync(censusName, ct).ConfigureAwait(false)
                    : all.Count == 1 ? all[0] : null;
                if (census is null)
                {
                    await stderr.WriteLineAsync(censusName is not null
                        ? $"xmppscan census stats: no census named '{Output.TerminalText.Safe(censusName)}'"
                        : $"xmppscan census stats: the store holds {all.Count} censuses: name one with --census").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                var policyName = parse.GetValue(policy) ?? census.GradingPolicy;
                if (!Grading.Policies.TryGet(policyName, out var chosen))
                {
                    await stderr.WriteLineAsync($"xmppscan census stats: unknown policy '{Output.TerminalText.Safe(policyName)}'").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                var aggregator = new Aggregator(opened, census.CensusId);
                await aggregator.CatchUpAsync(ct).ConfigureAwait(false);
                var stats = aggregator.Statistics(chosen, parse.GetValue(region) ?? census.Regions.FirstOrDefault());
                await stdout.WriteAsync(parse.GetValue(json)
                    ? JsonSerializer.Serialize(stats, StatisticsJsonContext.Default.CensusStatistics) + Environment.NewLine
                    : StatisticsText.Render(census.Name, stats, CensusSettings.FromJson(census.SettingsJson).Depth.Name())).ConfigureAwait(false);
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
