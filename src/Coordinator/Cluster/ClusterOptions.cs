using System.Globalization;
using System.Text;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>How the region's cluster is split-brain protected (Akka.Cluster.SBR, see deploy/cluster/README.md).</summary>
public enum SplitBrainStrategy
{
    /// <summary>The side with more than half the members stays (three or more nodes).</summary>
    KeepMajority,

    /// <summary>The side with the oldest member stays (one or two nodes: a majority of two does not exist).</summary>
    KeepOldest,
}

/// <summary>
/// Where a node sits in its region's cluster. Every region is its own cluster (actor system <c>xmppscan-REGION</c>), so
/// nodes of two regions never join each other even when given each other's address.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>Address the node listens on and is reached at.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0: any free port (the embedded one-node cluster).</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes <c>HOST:PORT</c>; none: the node joins itself (a one-node cluster, or the first seed).</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public SplitBrainStrategy SplitBrain { get; init; } = SplitBrainStrategy.KeepMajority;

    /// <summary>How long the membership must be stable before the resolver decides (measured here: 7 s gives 14–18 s
    /// from kill -9 to the shards running again; the default 20 s gives about 50 s).</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>How often the feeder singleton looks for open shards and finished censuses.</summary>
    public TimeSpan FeedInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Feed ticks between two wakes of one open shard (a wake lost with a moving node is sent again).</summary>
    public int RewakeTicks { get; init; } = 15;

    /// <summary>Akka shards the entities are hashed into; a node holds whole Akka shards.</summary>
    public int ShardBuckets { get; init; } = 100;

    /// <summary>The actor system's name: <c>xmppscan-</c> and the region with anything not a letter, digit or dash
    /// replaced.</summary>
    public static string SystemName(string region)
    {
        var name = new StringBuilder("xmppscan-");
        foreach (var c in region)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_');
        }

        return name.ToString();
    }

    /// <summary>Parses <c>HOST:PORT</c>; false with a reason for anything else.</summary>
    public static bool TryParseSeed(string text, out (string Host, int Port) seed, out string error)
    {
        seed = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            error = $"'{text}' is not HOST:PORT";
            return false;
        }

        seed = (text[..colon].Trim('[', ']'), port);
        error = "";
        return true;
    }
}
