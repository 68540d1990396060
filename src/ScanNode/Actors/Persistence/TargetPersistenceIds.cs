using System.Globalization;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The persistence id of a target actor: its census and its stream (<c>TargetStreams.For(target, region,
/// generation)</c>, so the region and the rescan generation are part of it). <c>target-{census:N}-{stream:N}</c>.
/// </summary>
public static class TargetPersistenceIds
{
    private const string Prefix = "target-";

    public static string For(Guid censusId, Guid streamId) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{censusId:N}-{streamId:N}");

    public static (Guid CensusId, Guid StreamId) Parse(string persistenceId)
    {
        var rest = persistenceId.StartsWith(Prefix, StringComparison.Ordinal) ? persistenceId[Prefix.Length..] : "";
        if (rest.Length != 65 || rest[32] != '-'
            || !Guid.TryParseExact(rest[..32], "N", out var census) || !Guid.TryParseExact(rest[33..], "N", out var stream))
        {
            throw new ArgumentException($"'{persistenceId}' is not a target persistence id", nameof(persistenceId));
        }

        return (census, stream);
    }
}
