using XmppScanCluster.ScanNode.Actors.Persistence;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>
/// Everything a census keeps: its definition, targets, shards, the certificates and what the regions' clusters
/// report; the events are Akka.Persistence.Sql's journal on the same database (<see cref="Events"/>). One contract,
/// two engines (SQLite embedded, PostgreSQL for the cluster); the engines share the schema and differ only in how they
/// lock. A shard is one sharding entity of its region's cluster: it scans its targets (their events go to the Akka
/// journal) and completes them. Every call is one transaction.
/// </summary>
public interface ICensusStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Engine { get; }

    /// <summary>Where the store is (the SQLite file's full path, or the PostgreSQL connection string): the actor
    /// systems' persistence is configured from it (<see cref="CensusPersistence"/>).</summary>
    StoreLocation Location { get; }

    /// <summary>The census events (Akka.Persistence.Sql's journal on this store, read by census tag), opened on first use
    /// and closed with the store.</summary>
    CensusEventLog Events { get; }

    /// <summary>The schema version the store is at after its migrations ran.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken ct = default);

    // ---- census ----

    /// <summary>Creates a running census; a name that exists already throws <see cref="CensusExistsException"/>.</summary>
    Task<CensusInfo> CreateCensusAsync(CensusDefinition definition, CancellationToken ct = default);

    Task<CensusInfo?> GetCensusAsync(Guid censusId, CancellationToken ct = default);

    Task<CensusInfo?> FindCensusAsync(string name, CancellationToken ct = default);

    /// <summary>Every census, oldest first.</summary>
    Task<IReadOnlyList<CensusInfo>> ListCensusesAsync(CancellationToken ct = default);

    /// <summary>
    /// Pauses, resumes, cancels or completes a census (see <see cref="CensusStates.CanMove"/>). Returns the state
    /// after the call; a transition that is not allowed throws <see cref="InvalidOperationException"/>.
    /// While not running, no entity starts a target of the census.
    /// </summary>
    Task<CensusState> SetCensusStateAsync(Guid censusId, CensusState state, CancellationToken ct = default);

    // ---- targets and shards ----

    /// <summary>Adds domains (normalised: lower case, no trailing dot); ones already there are reported, not added.</summary>
    Task<AddTargetsResult> AddTargetsAsync(Guid censusId, IEnumerable<string> domains, CancellationToken ct = default);

    /// <summary>Targets by domain order, after <paramref name="afterDomain"/> (keyset paging).</summary>
    Task<IReadOnlyList<TargetRef>> ListTargetsAsync(Guid censusId, string? afterDomain, int limit, CancellationToken ct = default);

    /// <summary>
    /// Assigns targets to shards by endpoint address (see <see cref="ShardPlanner"/>): one shard row per key per
    /// region of the census, so every connection to one address (or /24) goes through one shard cluster-wide.
    /// Targets planned before are skipped.
    /// </summary>
    Task<PlanResult> PlanShardsAsync(Guid censusId, IReadOnlyList<TargetEndpoints> targets, ShardKeyPolicy policy,
        CancellationToken ct = default);

    /// <summary>
    /// Keeps planning's discovery results (<see cref="PlannedDiscoveryRow"/>, replacing a row kept before for the same
    /// target and mode), so that a node in another process scans what planning resolved instead of resolving again
    /// (issue 14). A target not in the census, an unknown mode or an empty or too long result throws.
    /// </summary>
    Task KeepDiscoveryAsync(Guid censusId, IReadOnlyList<PlannedDiscoveryRow> rows, CancellationToken ct = default);

    /// <summary>The discovery result planning kept for <paramref name="domain"/> in <paramref name="mode"/>, whether or
    /// not it expired (the caller judges that on its own clock), or null: none kept, or the target was rescanned since.</summary>
    Task<PlannedDiscoveryRow?> FindDiscoveryAsync(Guid censusId, string domain, string mode, CancellationToken ct = default);

    /// <summary>The targets of a shard with their addresses and status.</summary>
    Task<IReadOnlyList<ShardTarget>> GetShardTargetsAsync(long shardId, CancellationToken ct = default);

    /// <summary>
    /// Re-queues a target: its scan generation grows by one and it is pending again in every region (done shards
    /// holding it return to pending; a completed census runs again). The region's feeder tells the shard's entity
    /// (<see cref="ListRescansAsync"/>), which restarts a generation in flight under the new one. Refused for a cancelled
    /// census. Planning's discovery results of the target are dropped: a rescan resolves anew.
    /// Results of earlier generations stay in the journal; the aggregator keeps the newest.
    /// </summary>
    Task<RescanResult> RescanTargetAsync(Guid censusId, string domain, CancellationToken ct = default);

    // ---- the cluster's work ----

    /// <summary>The shards of running censuses in <paramref name="region"/> with a target still pending: what the region's
    /// feeder singleton wakes (one sharding entity per shard), the most pending targets first (then by id): the busiest
    /// addresses are the census's critical path and are woken, and ask for their slots, first.</summary>
    Task<IReadOnlyList<ShardInfo>> ListOpenShardsAsync(string region, CancellationToken ct = default);

    /// <summary>The rescanned targets (generation above 0) still pending in <paramref name="region"/> for running
    /// censuses, with their shard: what the region's feeder tells the entities as <c>RescanTarget</c>.</summary>
    Task<IReadOnlyList<PendingRescan>> ListRescansAsync(string region, CancellationToken ct = default);

    /// <summary>One shard (census, region, key, done), or null.</summary>
    Task<ShardInfo?> GetShardAsync(long shardId, CancellationToken ct = default);

    /// <summary>The shard of <paramref name="region"/> that owns one of <paramref name="addressKeys"/> (an address's keys, see
    /// <see cref="ShardPlanner.AddressKey"/>) in the census's plan, or null: an address no entity owns (a region's DNS
    /// answered differently from the planner's).</summary>
    Task<long?> FindAddressShardAsync(Guid censusId, string region, IReadOnlyList<string> addressKeys, CancellationToken ct = default);

    /// <summary>
    /// Records a target's outcome in a shard for scan generation <paramref name="generation"/>; the shard is done when
    /// no target of it is pending. False when the target is not pending there under that generation (recorded before,
    /// or rescanned since: the newer generation stays pending).
    /// </summary>
    Task<bool> CompleteTargetAsync(long shardId, Guid targetId, int generation, TargetOutcome outcome, CancellationToken ct = default);

    /// <summary>Replaces what is known of <paramref name="region"/>'s cluster (written by its feeder singleton).</summary>
    Task ReportClusterAsync(string region, IReadOnlyList<ClusterMember> members, CancellationToken ct = default);

    /// <summary>Every region's last reported cluster members, by region and address.</summary>
    Task<IReadOnlyList<ClusterMember>> ListClusterMembersAsync(CancellationToken ct = default);

    // ---- certificates ----

    /// <summary>Stores DER certificates once each under their SHA-256.</summary>
    Task<CertificatesStored> PutCertificatesAsync(IReadOnlyList<ReadOnlyMemory<byte>> ders, CancellationToken ct = default);

    /// <summary>The DER stored under a SHA-256 (lower-case hex), or null.</summary>
    Task<byte[]?> GetCertificateAsync(string sha256Hex, CancellationToken ct = default);

    // ---- progress ----

    /// <summary>Targets total / planned / done / failed and shard counts, per region of the census.</summary>
    Task<IReadOnlyList<RegionProgress>> GetProgressAsync(Guid censusId, CancellationToken ct = default);
}
