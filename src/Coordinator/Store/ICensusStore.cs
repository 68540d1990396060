using XmppScanCluster.ScanNode.Actors.Persistence;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>
/// Everything a census keeps: its definition, targets, shards and leases, nodes and the certificates; the events
/// are Akka.Persistence.Sql's journal on the same database (<see cref="Events"/>). One contract, two engines (SQLite
/// embedded, PostgreSQL for the cluster); the engines share
/// the schema and differ only in how they lock. Shards are the unit of leasing: a scan node leases a shard,
/// scans its targets, appends their events and completes it. Every call is one transaction.
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
    /// While not running, no shard of the census is leased.
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

    /// <summary>The targets of a shard with their addresses and status.</summary>
    Task<IReadOnlyList<ShardTarget>> GetShardTargetsAsync(long shardId, CancellationToken ct = default);

    /// <summary>
    /// Re-queues a target: its scan generation grows by one and it is pending again in every region (done shards
    /// holding it return to pending; a completed census runs again). While a live lease holds one of its shards the
    /// request waits and is applied when that shard is completed or released, or its lease expired (the node holding
    /// it finishes the current generation first, then the shard is pending again). Refused for a cancelled census.
    /// Results of earlier generations stay in the journal; the aggregator keeps the newest.
    /// </summary>
    Task<RescanResult> RescanTargetAsync(Guid censusId, string domain, CancellationToken ct = default);

    // ---- nodes and leases ----

    /// <summary>Registers (or re-registers) a scan node and records a heartbeat.</summary>
    Task RegisterNodeAsync(string nodeId, string region, CancellationToken ct = default);

    /// <summary>Records a heartbeat; false if the node is not registered.</summary>
    Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct = default);

    Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct = default);

    /// <summary>Every shard leased now (expired leases not taken over yet included), by node.</summary>
    Task<IReadOnlyList<ShardLease>> ListLeasesAsync(CancellationToken ct = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> shards of running censuses in <paramref name="region"/>: pending
    /// shards and shards whose lease expired (taken over). PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so
    /// concurrent nodes never get the same shard; SQLite: one writer (<c>BEGIN IMMEDIATE</c>).
    /// </summary>
    Task<IReadOnlyList<ShardLease>> LeaseShardsAsync(string nodeId, string region, int max, TimeSpan leaseDuration,
        CancellationToken ct = default);

    /// <summary>Extends a lease still held (same owner and token, not expired); null when it was lost or the census was cancelled.</summary>
    Task<ShardLease?> RenewLeaseAsync(ShardLease lease, TimeSpan leaseDuration, CancellationToken ct = default);

    /// <summary>Returns a held shard to pending; false if the lease was not held any more.</summary>
    Task<bool> ReleaseLeaseAsync(ShardLease lease, CancellationToken ct = default);

    /// <summary>On shutdown: returns every shard the node holds to pending and marks the node stopped.</summary>
    Task<int> ReleaseLeasesAsync(string nodeId, CancellationToken ct = default);

    /// <summary>Records a target's outcome in the leased shard; false if the lease is not held any more.</summary>
    Task<bool> CompleteTargetAsync(ShardLease lease, Guid targetId, TargetOutcome outcome, CancellationToken ct = default);

    /// <summary>Marks a held shard done; false if the lease is not held any more (a stale node is fenced off).</summary>
    Task<bool> CompleteShardAsync(ShardLease lease, CancellationToken ct = default);

    // ---- certificates ----

    /// <summary>Stores DER certificates once each under their SHA-256.</summary>
    Task<CertificatesStored> PutCertificatesAsync(IReadOnlyList<ReadOnlyMemory<byte>> ders, CancellationToken ct = default);

    /// <summary>The DER stored under a SHA-256 (lower-case hex), or null.</summary>
    Task<byte[]?> GetCertificateAsync(string sha256Hex, CancellationToken ct = default);

    // ---- progress ----

    /// <summary>Targets total / planned / done / failed and shard counts, per region of the census.</summary>
    Task<IReadOnlyList<RegionProgress>> GetProgressAsync(Guid censusId, CancellationToken ct = default);
}
