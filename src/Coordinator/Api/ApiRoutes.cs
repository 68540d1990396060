using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Dashboard;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>
/// The routes: GET /api/status, /api/censuses, /api/censuses/{name}, /api/censuses/{name}/stats?policy=&amp;region=,
/// /api/nodes; POST /api/censuses/{name}/pause|resume|cancel, /api/censuses/{name}/rescan {"domain": …}.
/// Statistics come from the coordinator's one <see cref="LiveCensus"/> per census: its aggregator reads only the journal's
/// new tail on each request and the statistics are recomputed only when a result arrived.
/// </summary>
public static class ApiRoutes
{
    public static void Map(WebApplication app, ICensusStore store, LiveCensuses live, TimeProvider time)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/status", async (CancellationToken ct) =>
        {
            var censuses = await SummariesAsync(store, ct).ConfigureAwait(false);
            var members = await store.ListClusterMembersAsync(ct).ConfigureAwait(false);
            return Results.Json(new StatusView(censuses.Count, censuses.Count(c => c.State == "running"), censuses.Count(c => c.State == "paused"),
                members.Count(m => m.Status == "up" && m.Reachable), members.Sum(m => m.Entities), censuses), ApiJsonContext.Default.StatusView);
        });
        api.MapGet("/censuses", async (CancellationToken ct) =>
            Results.Json(await SummariesAsync(store, ct).ConfigureAwait(false), ApiJsonContext.Default.IReadOnlyListCensusSummary));
        api.MapGet("/censuses/{name}", async (string name, CancellationToken ct) =>
        {
            if (await store.FindCensusAsync(name, ct).ConfigureAwait(false) is not { } census) return NotFound(name);
            var progress = await store.GetProgressAsync(census.CensusId, ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var recent = await live.For(census).ThroughputAsync(ct).ConfigureAwait(false);
            return Results.Json(new CensusDetail(ApiViews.Summary(census, progress),
                    [.. progress.Select(p => ApiViews.Region(p, census.CreatedAt, now, recent.Region(p.Region).TargetsPerMinute))]),
                ApiJsonContext.Default.CensusDetail);
        });
        api.MapGet("/censuses/{name}/stats", async (string name, string? policy, string? region, CancellationToken ct) =>
        {
            if (await store.FindCensusAsync(name, ct).ConfigureAwait(false) is not { } census) return NotFound(name);
            if (!Policies.TryGet(policy ?? census.GradingPolicy, out var chosen))
            {
                return Results.Json(new ErrorView($"unknown policy; known: {string.Join(", ", Policies.All.Select(p => p.Name))}"),
                    ApiJsonContext.Default.ErrorView, statusCode: StatusCodes.Status400BadRequest);
            }

            var stats = await live.For(census).StatisticsAsync(chosen, region, ct).ConfigureAwait(false);
            return Results.Json(stats, StatisticsJsonContext.Default.CensusStatistics);
        });
        api.MapGet("/nodes", async (CancellationToken ct) =>
            Results.Json(ApiViews.Members(await store.ListClusterMembersAsync(ct).ConfigureAwait(false)), ApiJsonContext.Default.IReadOnlyListMemberView));
        foreach (var (verb, state) in new[] { ("pause", CensusState.Paused), ("resume", CensusState.Running), ("cancel", CensusState.Cancelled) })
        {
            api.MapPost($"/censuses/{{name}}/{verb}", async (string name, CancellationToken ct) =>
            {
                if (await store.FindCensusAsync(name, ct).ConfigureAwait(false) is not { } census) return NotFound(name);
                try
                {
                    var now = await store.SetCensusStateAsync(census.CensusId, state, ct).ConfigureAwait(false);
                    return Results.Json(new StateView(census.Name, now.Name()), ApiJsonContext.Default.StateView);
                }
                catch (InvalidOperationException)
                {
                    return Results.Json(new ErrorView($"census is {census.State.Name()}: cannot {verb}"), ApiJsonContext.Default.ErrorView,
                        statusCode: StatusCodes.Status409Conflict);
                }
            });
        }

        api.MapPost("/censuses/{name}/rescan", async (string name, HttpRequest request, CancellationToken ct) =>
        {
            RescanRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(ApiJsonContext.Default.RescanRequest, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                body = null;
            }

            if (body is null || string.IsNullOrWhiteSpace(body.Domain))
            {
                return Results.Json(new ErrorView("body must be {\"domain\": \"…\"}"), ApiJsonContext.Default.ErrorView, statusCode: StatusCodes.Status400BadRequest);
            }

            if (await store.FindCensusAsync(name, ct).ConfigureAwait(false) is not { } census) return NotFound(name);
            var result = await store.RescanTargetAsync(census.CensusId, body.Domain, ct).ConfigureAwait(false);
            var outcome = result.Outcome switch
            {
                RescanOutcome.Queued => "queued",
                RescanOutcome.NotFound => "not_found",
                _ => "census_cancelled",
            };
            var status = result.Outcome switch
            {
                RescanOutcome.Queued => StatusCodes.Status202Accepted,
                RescanOutcome.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            };
            return Results.Json(new RescanView(census.Name, body.Domain, outcome, result.Generation), ApiJsonContext.Default.RescanView, statusCode: status);
        });
    }

    private static IResult NotFound(string name) =>
        Results.Json(new ErrorView($"no census named '{name}'"), ApiJsonContext.Default.ErrorView, statusCode: StatusCodes.Status404NotFound);

    private static async Task<IReadOnlyList<CensusSummary>> SummariesAsync(ICensusStore store, CancellationToken ct)
    {
        var list = new List<CensusSummary>();
        foreach (var census in await store.ListCensusesAsync(ct).ConfigureAwait(false))
        {
            list.Add(ApiViews.Summary(census, await store.GetProgressAsync(census.CensusId, ct).ConfigureAwait(false)));
        }

        return list;
    }
}
