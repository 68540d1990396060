using System.Net;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// A message the shard region routes to the address gate of <see cref="Address"/> in <see cref="CensusId"/>: the one
/// place of the region cluster that grants connections to an address an entity's DNS gave but its plan does not hold.
/// <see cref="Owner"/> is the shard that owns the address in the plan (its gate lives in the same Akka shard, so on the
/// same node and limiter as the owner's own connections), or null for an address no shard owns.
/// </summary>
public interface IGateMessage
{
    Guid CensusId { get; }

    string Address { get; }

    long? Owner { get; }
}

/// <summary>To the gate: grant one connection to the address under the census's per-IP limit and spacing (answered with
/// <see cref="PermitGranted"/>). Idempotent per sender and <see cref="RequestId"/> (the requester resends until answered).</summary>
public sealed record AcquirePermit(Guid CensusId, string Address, long? Owner, long RequestId) : IGateMessage;

/// <summary>To the gate: the connection of <see cref="RequestId"/> sent its SYN. The address's next start is due a spacing
/// after this message arrives (after the real start, whatever the delay of the grant's delivery or of this message).</summary>
public sealed record ConnectionStarted(Guid CensusId, string Address, long? Owner, long RequestId) : IGateMessage;

/// <summary>To the gate: the connection of <see cref="RequestId"/> closed (or its wait was given up): free the slot.</summary>
public sealed record ReleasePermit(Guid CensusId, string Address, long? Owner, long RequestId) : IGateMessage;

/// <summary>To the gate: the server throttled us; no new connection to the address before <see cref="Wait"/> from now.</summary>
public sealed record BackOffAddress(Guid CensusId, string Address, long? Owner, TimeSpan Wait) : IGateMessage;

/// <summary>From the gate to the requesting node: the connection may start (granted at <see cref="GrantedAt"/>); the
/// spacing counts from its <see cref="ConnectionStarted"/>.</summary>
public sealed record PermitGranted(AcquirePermit Request, DateTimeOffset GrantedAt);

/// <summary>
/// Entity ids of address gates: <c>ip:CENSUS:ADDRESS</c>, with <c>@SHARD</c> when a shard of the plan owns the address.
/// A namespace of the address-shard region rather than a second sharding type: one region, one coordinator, one
/// allocation, and the gate of an owned address can be placed in its owner's Akka shard (a second type allocates its
/// shards on its own, so the two could sit on different nodes with two limiters for one address).
/// </summary>
public static class GateEntityIds
{
    private const string Prefix = "ip:";

    public static string For(IGateMessage m) => For(m.CensusId, m.Address, m.Owner);

    public static string For(Guid censusId, string address, long? owner) =>
        $"{Prefix}{censusId:N}:{address}" + (owner is { } o ? "@" + ShardEntityIds.For(o) : "");

    public static bool TryParse(string entityId, out Guid censusId, out IPAddress address, out long? owner)
    {
        (censusId, address, owner) = (Guid.Empty, IPAddress.None, null);
        if (!entityId.StartsWith(Prefix, StringComparison.Ordinal) || entityId.Length < Prefix.Length + 34
            || entityId[Prefix.Length + 32] != ':'
            || !Guid.TryParseExact(entityId.AsSpan(Prefix.Length, 32), "N", out censusId))
        {
            return false;
        }

        var rest = entityId[(Prefix.Length + 33)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!ShardEntityIds.TryParse(rest[(at + 1)..], out var o))
            {
                return false;
            }

            owner = o;
            rest = rest[..at];
        }

        return IPAddress.TryParse(rest, out address!);
    }

    /// <summary>The canonical text of an address (IPv4-mapped IPv6 as IPv4), as plans store it.</summary>
    public static string Text(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
