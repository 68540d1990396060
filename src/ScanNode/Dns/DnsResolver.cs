using System.Net;
using System.Net.Sockets;
using DnsClient;
using XmppScanCluster.Shared.Dns;
using Lib = DnsClient.Protocol;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> on DnsClient 1.8.0 (a stub resolver: it asks the recursive resolvers of
/// <see cref="DnsResolverOptions"/>, it does not validate DNSSEC itself). Thread-safe; one instance per run, which
/// is also the lifetime of its cache. The library's settings, each chosen on purpose (see README.md beside this file):
/// <list type="bullet">
/// <item><c>ContinueOnDnsError = false</c>: a SERVFAIL, REFUSED or other error RCODE is the answer and is reported;
/// the library's default would silently ask the next server and hide it (and a DNSSEC-bogus SERVFAIL with it).</item>
/// <item><c>ContinueOnEmptyResponse = false</c>: NODATA is an answer too, not a reason to ask elsewhere.</item>
/// <item><c>ThrowDnsErrors = false</c>: error RCODEs come back as responses; only transport failures throw, and
/// those are classified here (<see cref="Classify"/>).</item>
/// <item><c>UseRandomNameServer = false</c>: resolvers are asked in the given order (<c>--dns</c> order, resolv.conf
/// order); the next one only after the previous timed out or failed on the network (failover).</item>
/// <item><c>Timeout</c> = <see cref="DnsResolverOptions.Timeout"/> per attempt; <c>Retries</c> =
/// <see cref="DnsResolverOptions.Retries"/> − 1 (the library counts retries after the first try).</item>
/// <item><c>UseTcpFallback = true</c>: a truncated UDP answer is asked again over TCP (RFC 7766 §5).</item>
/// <item><c>RequestDnsSecRecords</c> = <see cref="DnsResolverOptions.RequestDnssec"/>: EDNS0 with DO (RFC 3225) so
/// a validating resolver reports AD; <c>ExtendedDnsBufferSize = 1232</c> (the DNS Flag Day 2020 size that avoids
/// IP fragmentation; bigger answers come over TCP).</item>
/// <item><c>UseCache = true</c>, <c>CacheFailedResults = false</c>: answers are reused within the run for their TTL
/// (c2s and s2s discovery ask for the same targets); failures are always asked again.</item>
/// <item><c>EnableAuditTrail = false</c>: the facts kept are the ones in <see cref="DnsLookup{T}"/>.</item>
/// </list>
/// </summary>
public sealed class DnsResolver : IDnsResolver
{
    /// <summary>EDNS0 UDP payload size advertised (DNS Flag Day 2020).</summary>
    internal const int UdpPayloadSize = 1232;

    private readonly LookupClient? _client;
    private readonly ClosedPortCheck? _closed;

    public DnsResolver(DnsResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (options.Servers.Count == 0)
        {
            return;
        }

        var timeout = options.Timeout > TimeSpan.Zero ? options.Timeout : ScanLimits.Default.DnsTimeout;
        _client = new LookupClient(new LookupClientOptions(options.Servers.Select(s => new NameServer(s)).ToArray())
        {
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            ThrowDnsErrors = false,
            UseRandomNameServer = false,
            Timeout = timeout,
            Retries = Math.Max(1, options.Retries) - 1,
            UseTcpFallback = true,
            UseTcpOnly = false,
            RequestDnsSecRecords = options.RequestDnssec,
            ExtendedDnsBufferSize = UdpPayloadSize,
            UseCache = true,
            CacheFailedResults = false,
            EnableAuditTrail = false,
            Recursion = true,
        });
        _closed = new ClosedPortCheck(options.Servers, timeout);
    }

    /// <summary>The options in use.</summary>
    public DnsResolverOptions Options { get; }

    /// <inheritdoc />
    public Task<DnsLookup<SrvRecord>> LookupSrvAsync(string name, CancellationToken ct) =>
        LookupAsync(name, QueryType.SRV, r => r is Lib.SrvRecord s
            ? new SrvRecord(DnsAnswerReader.Canonical(s.DomainName), s.Priority, s.Weight, s.Port, SrvTarget(s.Target), Ttl(s))
            : null, DnsAnswerReader.MaxCnameHops, ct);

    /// <inheritdoc />
    public Task<DnsLookup<TlsaRecord>> LookupTlsaAsync(string name, CancellationToken ct) =>
        LookupAsync(name, QueryType.TLSA, r => r is Lib.TlsaRecord t
            ? new TlsaRecord(DnsAnswerReader.Canonical(t.DomainName), (byte)t.CertificateUsage, (byte)t.Selector,
                (byte)t.MatchingType, [.. t.CertificateAssociationData], Ttl(t))
            : null, DnsAnswerReader.MaxCnameHops, ct);

    /// <inheritdoc />
    public Task<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return LookupAsync(plain.GetArpaName(), QueryType.PTR,
            r => r is Lib.PtrRecord p ? DnsAnswerReader.Canonical(p.PtrDomainName) : null, DnsAnswerReader.MaxCnameHops, ct);
    }

    /// <inheritdoc />
    public async Task<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct)
    {
        var v4Task = LookupAsync(host, QueryType.A, r => r is Lib.ARecord a ? a.Address : null, DnsAnswerReader.MaxCnameHops, ct);
        var v6Task = LookupAsync(host, QueryType.AAAA, r => r is Lib.AaaaRecord a ? a.Address : null, DnsAnswerReader.MaxCnameHops, ct);
        var v4 = await v4Task.ConfigureAwait(false);
        var v6 = await v6Task.ConfigureAwait(false);
        return AddressMerge.Merge(DnsAnswerReader.Canonical(host), v4, v6);
    }

    private async Task<DnsLookup<T>> LookupAsync<T>(
        string name, QueryType type, Func<Lib.DnsResourceRecord, T?> convert, int cnameHops, CancellationToken ct)
        where T : class
    {
        ct.ThrowIfCancellationRequested();
        string canonical = DnsAnswerReader.Canonical(name);
        if (_client is null)
        {
            return DnsLookup<T>.Failure(DnsStatus.NetworkError, "no DNS servers configured");
        }

        if (_closed!.KnownClosed is { } closed)
        {
            // An earlier query found every resolver's port closed: this one would wait out its timeout and retries again.
            return DnsLookup<T>.Failure(DnsStatus.NetworkError, $"{canonical} {type}: {closed}");
        }

        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(canonical, type, QueryClass.IN, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var status = Classify(e);
            if (status is DnsStatus.Timeout or DnsStatus.NetworkError && await _closed.CheckAsync().ConfigureAwait(false) is { } portClosed)
            {
                return DnsLookup<T>.Failure(DnsStatus.NetworkError, $"{canonical} {type}: {portClosed}");
            }

            return DnsLookup<T>.Failure(status, $"{canonical} {type}: {Describe(status, e)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The caller's cancellation, reported by the library in its own exception: the usual contract instead.
            throw new OperationCanceledException("DNS lookup cancelled", e, ct);
        }

        var lookup = DnsAnswerReader.Read(response, canonical, type, convert, cnameHops);
        if (lookup.Status == DnsStatus.ServerFailure && Options.RequestDnssec && DnsAnswerReader.HasDnssecFailure(response))
        {
            lookup = lookup with { ValidationFailed = true };
        }

        // RFC 1034 §5.3.3: a resolver may hand back a CNAME without chasing it. An answer that ends in a CNAME with
        // nothing about the target (no SOA in the authority section) is continued with the target itself.
        int hopsLeft = cnameHops - lookup.CnameChain.Count;
        if (lookup.Status == DnsStatus.NoData && lookup.CnameChain.Count > 0 && hopsLeft > 0 && response.Authorities.Count == 0)
        {
            var rest = await LookupAsync(lookup.CnameChain[^1], type, convert, hopsLeft, ct).ConfigureAwait(false);
            if (rest.CnameChain.Contains(canonical) || rest.CnameChain.Intersect(lookup.CnameChain).Any())
            {
                return DnsLookup<T>.Failure(DnsStatus.Malformed, $"{canonical} {type}: CNAME chain loops");
            }

            return rest with
            {
                CnameChain = [.. lookup.CnameChain, .. rest.CnameChain],
                Authenticated = lookup.Authenticated && rest.Authenticated,
            };
        }

        return lookup;
    }

    /// <summary>
    /// What a failed query was. DnsClient reports every transport problem as an exception: timeouts as
    /// <see cref="DnsResponseException"/> with <see cref="DnsResponseCode.ConnectionTimeout"/> (or a bare
    /// cancellation/timeout), unparsable answers as <see cref="DnsResponseParseException"/>, answers with a foreign
    /// id as <see cref="DnsXidMismatchException"/>, socket failures wrapped or bare. Anything else the library
    /// throws on hostile input is a malformed answer too: a scan never crashes on what a server sent.
    /// </summary>
    internal static DnsStatus Classify(Exception e) => e switch
    {
        DnsResponseParseException or DnsXidMismatchException => DnsStatus.Malformed,
        DnsResponseException { Code: DnsResponseCode.ConnectionTimeout } => DnsStatus.Timeout,
        DnsResponseException { InnerException: { } inner } => Classify(inner),
        DnsResponseException => DnsStatus.NetworkError,
        OperationCanceledException or TimeoutException => DnsStatus.Timeout,
        SocketException or IOException => DnsStatus.NetworkError,
        AggregateException { InnerException: { } inner } => Classify(inner),
        _ => DnsStatus.Malformed,
    };

    private static string Describe(DnsStatus status, Exception e) => status switch
    {
        // The library's own text ("Query 32410 => … timed out or is a transient error") names nothing the query does not.
        DnsStatus.Timeout => "no answer within the deadline",
        DnsStatus.NetworkError => "network error: " + e.Message,
        _ => $"malformed or unusable answer ({e.GetType().Name}: {e.Message})",
    };

    /// <summary>RFC 2782: the target "." stays "."; other names lose the trailing dot.</summary>
    private static string SrvTarget(DnsString target) => target.Value is "." or "" ? "." : DnsAnswerReader.Canonical(target);

    private static uint Ttl(Lib.DnsResourceRecord record) => (uint)Math.Max(0, record.TimeToLive);
}
