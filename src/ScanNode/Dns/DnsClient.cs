using System.Net;
using System.Net.Sockets;
using System.Text;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// A stub resolver for the record types a scan needs. Thread-safe; one instance per run (its cache lives as
/// long as it does). Never throws for network input: every problem is a <see cref="DnsStatus"/> and a message.
/// Cancelling the token throws <see cref="OperationCanceledException"/> as usual.
/// </summary>
public sealed class DnsClient
{
    private readonly DnsQueryEngine _engine;
    private readonly DnsCache _cache;

    public DnsClient(DnsResolverOptions options)
        : this(options, TimeProvider.System)
    {
    }

    internal DnsClient(DnsResolverOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = new DnsQueryEngine(options);
        _cache = new DnsCache(time);
    }

    /// <summary>The options in use.</summary>
    public DnsResolverOptions Options => _engine.Options;

    /// <summary>SRV records of <paramref name="name"/> (e.g. <c>_xmpp-client._tcp.example.org</c>), in answer order.</summary>
    public Task<DnsLookup<SrvRecord>> LookupSrvAsync(string name, CancellationToken ct) =>
        LookupAsync(name, DnsRecordType.SRV, DnsRecordConverters.Srv, ct);

    /// <summary>TLSA records of <paramref name="name"/> (e.g. <c>_5222._tcp.xmpp.example.org</c>).</summary>
    public Task<DnsLookup<TlsaRecord>> LookupTlsaAsync(string name, CancellationToken ct) =>
        LookupAsync(name, DnsRecordType.TLSA, DnsRecordConverters.Tlsa, ct);

    /// <summary>The PTR names of <paramref name="address"/> (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa).</summary>
    public Task<DnsLookup<string>> LookupPtrAsync(IPAddress address, CancellationToken ct) =>
        LookupAsync(ReverseName(address), DnsRecordType.PTR, DnsRecordConverters.Name, ct);

    /// <summary>
    /// A and AAAA of <paramref name="host"/>, asked together. Ok when either family has addresses (a failed
    /// other half is named in <see cref="DnsLookup{T}.Error"/>); Authenticated only when both answers had AD.
    /// </summary>
    public async Task<DnsLookup<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct)
    {
        var v4Task = LookupAsync(host, DnsRecordType.A, DnsRecordConverters.Address, ct);
        var v6Task = LookupAsync(host, DnsRecordType.AAAA, DnsRecordConverters.Address, ct);
        var v4 = await v4Task.ConfigureAwait(false);
        var v6 = await v6Task.ConfigureAwait(false);
        return AddressMerge.Merge(Canonical(host), v4, v6);
    }

    private Task<DnsLookup<T>> LookupAsync<T>(string name, DnsRecordType type, Func<DnsResourceRecord, T?> convert, CancellationToken ct)
        where T : class =>
        LookupAsync(name, type, convert, DnsAnswerReader.MaxCnameHops, ct);

    private async Task<DnsLookup<T>> LookupAsync<T>(
        string name, DnsRecordType type, Func<DnsResourceRecord, T?> convert, int cnameHops, CancellationToken ct)
        where T : class
    {
        ct.ThrowIfCancellationRequested();
        string canonical = Canonical(name);

        // The shared query is not tied to one caller's token; it is bounded by the per-attempt deadlines.
        var outcome = await _cache.GetOrQuery(canonical, type, false, () => _engine.QueryAsync(canonical, type, false, CancellationToken.None))
            .WaitAsync(ct).ConfigureAwait(false);
        var lookup = DnsAnswerReader.Read(outcome, canonical, type, convert, cnameHops);
        if (lookup.Status == DnsStatus.ServerFailure && Options.RequestDnssec && outcome.Message is not null)
        {
            lookup = lookup with { ValidationFailed = await IsValidationFailureAsync(outcome.Message, canonical, type, ct).ConfigureAwait(false) };
        }

        // RFC 1034 §5.3.3: a resolver may hand back a CNAME without chasing it. An answer that ends in a CNAME
        // with nothing about the target (no SOA in the authority section) is continued with the target itself.
        int hopsLeft = cnameHops - lookup.CnameChain.Count;
        if (lookup.Status == DnsStatus.NoData && lookup.CnameChain.Count > 0 && hopsLeft > 0
            && outcome.Message is { Authority.Count: 0 })
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
    /// Whether a SERVFAIL is a DNSSEC validation failure: an Extended DNS Error 1-12 says so (RFC 8914 §4.2-4.13),
    /// or the same query with CD set is answered (RFC 4035 §3.2.2: CD turns validation off).
    /// </summary>
    private async Task<bool> IsValidationFailureAsync(DnsMessage servfail, string name, DnsRecordType type, CancellationToken ct)
    {
        if (servfail.ExtendedErrors.Any(code => code is >= 1 and <= 12))
        {
            return true;
        }

        var retry = await _cache.GetOrQuery(name, type, true, () => _engine.QueryAsync(name, type, true, CancellationToken.None))
            .WaitAsync(ct).ConfigureAwait(false);
        return retry.Message is { Rcode: DnsFlags.RcodeNoError or DnsFlags.RcodeNxDomain } && retry.Error is null;
    }

    /// <summary>Lower case, one trailing dot removed: the form names take in the cache and in parsed answers.</summary>
    internal static string Canonical(string name)
    {
        string trimmed = (name ?? "").Trim();
        if (trimmed.EndsWith('.') && trimmed.Length > 1)
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>4.3.2.1.in-addr.arpa for 1.2.3.4; nibbles in reverse under ip6.arpa for IPv6.</summary>
    internal static string ReverseName(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        byte[] bytes = address.GetAddressBytes();
        var name = new StringBuilder(72);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (int i = bytes.Length - 1; i >= 0; i--)
            {
                name.Append(bytes[i]).Append('.');
            }

            return name.Append("in-addr.arpa").ToString();
        }

        const string hex = "0123456789abcdef";
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            name.Append(hex[bytes[i] & 0xF]).Append('.').Append(hex[bytes[i] >> 4]).Append('.');
        }

        return name.Append("ip6.arpa").ToString();
    }
}
