using System.Globalization;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>Input checks and names both engines share, so they accept and refuse the same things.</summary>
internal static class StoreRules
{
    /// <summary>Domains are compared in lower case without the trailing dot.</summary>
    public static string NormalizeDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    public static void Validate(CensusDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.GradingPolicy);
        if (definition.Regions.Count == 0 || definition.Regions.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("a census needs at least one region, none blank");
        }

        using var _ = System.Text.Json.JsonDocument.Parse(definition.SettingsJson);
    }

    /// <summary>A planned discovery row the store accepts: a known mode and a bounded result.</summary>
    public static void Validate(PlannedDiscoveryRow row)
    {
        if (row.Mode is not ("c2s" or "s2s"))
        {
            throw new ArgumentException($"unknown mode '{row.Mode}'");
        }

        if (string.IsNullOrEmpty(row.Result) || row.Result.Length > PlannedDiscoveryRow.MaxResultChars)
        {
            throw new ArgumentException($"a planned discovery result must be 1..{PlannedDiscoveryRow.MaxResultChars} characters");
        }
    }

    public static string Name(this TargetOutcome outcome) => outcome == TargetOutcome.Done ? "done" : "failed";

    public static TargetStatus ParseTargetStatus(string s) => s switch
    {
        "pending" => TargetStatus.Pending,
        "done" => TargetStatus.Done,
        "failed" => TargetStatus.Failed,
        _ => throw new InvalidDataException($"unknown target status '{s}'"),
    };

    public static byte[] ParseSha256(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        return bytes.Length == 32 ? bytes : throw new ArgumentException($"not a SHA-256: {hex}");
    }

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>SQLite stores instants as microseconds since the Unix epoch, the precision PostgreSQL keeps.</summary>
    public static long ToMicros(DateTimeOffset t) => (t.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, TimeSpan.Zero);

    public static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
