using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence.Journal;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>A target event on its way to the journal with the census it belongs to (the target actor knows it from
/// its persistence id); <see cref="CensusTagging"/> turns it into the tagged event. Never stored itself.</summary>
public sealed record CensusEvent(Guid CensusId, IEventData Event);

/// <summary>Who writes: the node and the region its actor system scans from (one region per cluster).</summary>
public sealed class WriterSetup(string nodeId, string region) : Akka.Actor.Setup.Setup
{
    public string NodeId { get; } = CensusTags.Checked(nodeId);

    public string Region { get; } = CensusTags.Checked(region);
}

/// <summary>
/// The journal's write adapter for <see cref="CensusEvent"/>: stores the bare event (through
/// <see cref="EventSerializer"/>) tagged <c>census:{id}</c>, <c>region:{r}</c> and <c>node:{n}</c>. The census tag is
/// what the projection reads by; region and node come back with each event from the tag table and are all the
/// metadata readers need besides the journal's own timestamp. They are tags, not payload fields: they say who
/// observed, not what the server did, and the events' golden samples stay as they are.
/// </summary>
public sealed class CensusTagging(ExtendedActorSystem system) : IWriteEventAdapter
{
    // Looked up on first write, not at construction: a reading-only system (the projection) has no writer.
    private WriterSetup? _writer;

    // The tags of the census written last: a node writes one census's events at a time, and building the set for every
    // event was 2 % of the bytes a census allocated (issue 14). Persistent actors call the adapter concurrently; a
    // record read and written as one reference is at worst rebuilt, never torn. The set is immutable, so shared.
    private LastTags? _last;

    private sealed record LastTags(Guid CensusId, IImmutableSet<string> Tags);

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt)
    {
        if (evt is not CensusEvent e)
        {
            return evt;
        }

        _writer ??= system.Settings.Setup.Get<WriterSetup>() is { HasValue: true } s
            ? s.Value
            : throw new InvalidOperationException("census events need a WriterSetup (node and region) in the actor system");
        var last = _last;
        if (last is null || last.CensusId != e.CensusId)
        {
            _last = last = new LastTags(e.CensusId, CensusTags.For(e.CensusId, _writer.Region, _writer.NodeId));
        }

        return new Tagged(e.Event, last.Tags);
    }
}

/// <summary>The tags of census events and how to read them back.</summary>
public static class CensusTags
{
    private const string RegionPrefix = "region:";
    private const string NodePrefix = "node:";

    public static string Census(Guid censusId) => "census:" + censusId.ToString("N");

    /// <summary>Every tag of one census event.</summary>
    public static IImmutableSet<string> For(Guid censusId, string region, string nodeId) =>
        ImmutableHashSet.Create(Census(censusId), Region(Checked(region)), Node(Checked(nodeId)));

    public static string Region(string region) => RegionPrefix + region;

    public static string Node(string nodeId) => NodePrefix + nodeId;

    /// <summary>The region and node of an event read back with its tags ("" when absent).</summary>
    public static (string Region, string Node) Origin(IEnumerable<string>? tags)
    {
        string region = "", node = "";
        foreach (var tag in tags ?? [])
        {
            if (tag.StartsWith(RegionPrefix, StringComparison.Ordinal))
            {
                region = tag[RegionPrefix.Length..];
            }
            else if (tag.StartsWith(NodePrefix, StringComparison.Ordinal))
            {
                node = tag[NodePrefix.Length..];
            }
        }

        return (region, node);
    }

    /// <summary>A region or node name as a tag value: not empty, no ';' (Akka.Persistence.Sql's tag separator).</summary>
    public static string Checked(string value) =>
        string.IsNullOrEmpty(value) || value.Contains(';', StringComparison.Ordinal)
            ? throw new ArgumentException($"'{value}' cannot be a tag value (empty or contains ';')", nameof(value))
            : value;
}
