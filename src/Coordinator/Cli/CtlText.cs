using System.Globalization;
using System.Text.Json;
using XmppScanCluster.Coordinator.Api;
using static XmppScanCluster.Coordinator.Output.TerminalText;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>Plain-text views of the coordinator's answers for <c>xmppscan ctl</c>; every string is made safe.</summary>
internal static class CtlText
{
    /// <summary>The server's JSON re-written indented by our writer, whose encoder escapes control characters (and
    /// non-ASCII), so nothing the server sent reaches the terminal raw.</summary>
    public static string Reformat(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static T Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(json, info) ?? throw new JsonException("null");

    public static string Error(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) ? error.ToString()
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("outcome", out var outcome) ? outcome.ToString()
                : "(no error text)";
        }
        catch (JsonException)
        {
            return "(no error text)";
        }
    }

    public static string Status(string json)
    {
        var s = Read(json, ApiJsonContext.Default.StatusView);
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"censuses: {s.Censuses} ({s.Running} running, {s.Paused} paused)   cluster members up: {s.MembersUp}   shard entities: {s.Entities}");
        w.Write(CensusTable(s.CensusList));
        return w.ToString();
    }

    public static string CensusList(string json) => CensusTable(Read(json, ApiJsonContext.Default.IReadOnlyListCensusSummary));

    private static string CensusTable(IReadOnlyList<CensusSummary> list)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{"NAME",-24} {"STATE",-10} {"POLICY",-14} {"REGIONS",-12} {"DONE",6} {"FAILED",6} {"TOTAL",6}");
        foreach (var c in list)
        {
            w.WriteLine($"{Safe(c.Name, 24),-24} {Safe(c.State),-10} {Safe(c.GradingPolicy),-14} {Safe(string.Join(",", c.Regions), 12),-12} {c.TargetsDone,6} {c.TargetsFailed,6} {c.TargetsTotal,6}");
        }

        return w.ToString();
    }

    public static string CensusShow(string json)
    {
        var d = Read(json, ApiJsonContext.Default.CensusDetail);
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"census {Safe(d.Census.Name)}  state {Safe(d.Census.State)}  policy {Safe(d.Census.GradingPolicy)}  depth {Safe(d.Census.Depth)}  created {d.Census.CreatedAt:u}");
        w.WriteLine($"{"REGION",-12} {"DONE",6} {"FAILED",6} {"LEFT",6} {"TOTAL",6} {"SHARDS p/d",14} {"PER MIN",8} {"ETA",10}");
        foreach (var r in d.Regions)
        {
            var eta = r.EtaSeconds is { } s ? Eta(TimeSpan.FromSeconds(s)) : "-";
            var rate = r.TargetsPerMinute is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            w.WriteLine($"{Safe(r.Region, 12),-12} {r.TargetsDone,6} {r.TargetsFailed,6} {r.TargetsRemaining,6} {r.TargetsTotal,6} {$"{r.ShardsPending}/{r.ShardsDone}",14} {rate,8} {eta,10}");
        }

        return w.ToString();
    }

    /// <summary>h:mm:ss, hours unbounded (a census may take days).</summary>
    private static string Eta(TimeSpan t) => FormattableString.Invariant($"{(long)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");

    public static string Nodes(string json)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{"REGION",-10} {"MEMBER",-40} {"STATUS",-8} {"REACH",-5} {"SHARDS",6} {"ENTITIES",8} {"REPORTED",-20} ROLES");
        foreach (var m in Read(json, ApiJsonContext.Default.IReadOnlyListMemberView))
        {
            w.WriteLine($"{Safe(m.Region, 10),-10} {Safe(m.Address, 40),-40} {Safe(m.Status, 8),-8} {(m.Reachable ? "yes" : "no"),-5} {m.Shards,6} {m.Entities,8} {m.ReportedAt:u} {Safe(m.Roles)}");
        }

        return w.ToString();
    }

    public static string State(string json)
    {
        var s = Read(json, ApiJsonContext.Default.StateView);
        return $"census {Safe(s.Name)}: {Safe(s.State)}{Environment.NewLine}";
    }

    public static string Rescan(string json)
    {
        var r = Read(json, ApiJsonContext.Default.RescanView);
        return $"census {Safe(r.Name)}: {Safe(r.Domain)} {Safe(r.Outcome)} (scan generation {r.Generation}){Environment.NewLine}";
    }
}
