using System.Collections.Concurrent;
using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>The suite enumeration of each version and its order (issue 16's repeat check at TLS 1.2).</summary>
internal sealed partial class AssessmentRun
{
    /// <summary>
    /// Whether TLS 1.2's first two accepted offers looked like client order (the pinned second offer picked another
    /// suite): the other versions pin their second offer too only then. Known after two TLS 1.2 connections, and
    /// the same in the sequential run and in lanes (lane B waits for it), so both send the same hellos.
    /// </summary>
    public Task<bool> Tls12LooksClientOrder => _tls12ClientOrder.Task;

    private readonly TaskCompletionSource<bool> _tls12ClientOrder = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // TLS 1.2's enumeration ended (its accepted suites are in Versions, or it had none).
    private readonly TaskCompletionSource _tls12Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task EnumerateSuitesAsync(TlsVersion version, CancellationToken ct)
    {
        try
        {
            await EnumerateSuitesCoreAsync(version, ct).ConfigureAwait(false);
        }
        finally
        {
            if (version == TlsVersion.Tls12)
            {
                _tls12ClientOrder.TrySetResult(false);
                _tls12Done.TrySetResult();
            }
        }
    }

    private async Task EnumerateSuitesCoreAsync(TlsVersion version, CancellationToken ct)
    {
        if (_negotiator.Fatal is not null)
        {
            return;
        }

        var name = version.Name();
        _counter.Probe = "suites " + name;
        var groupSteps = GroupSteps[version] = [];
        var schemeSteps = new List<RemovalStep>();
        if (version == TlsVersion.Tls12)
        {
            SchemeSteps = schemeSteps;
        }

        // Every accepted handshake also shows a group (ECDHE, or the TLS 1.3 HelloRetryRequest to an empty
        // key_share) and, at TLS 1.2, a signature algorithm. Offering the values not seen yet first, the
        // whole lists always present (so the suite choice cannot change), makes a server that follows the
        // client's order reveal a new one each time: the group and signature enumerations start from there.
        ushort? firstPick = null;
        var offers = Sent[version] = [];
        var enumerating = true;
        async Task<Offer> Offer(ImmutableArray<ushort> list, CancellationToken c)
        {
            var (hello, groups, schemes) = SuiteOfferHello(version, groupSteps, schemeSteps);
            var o = await _negotiator.OfferSuitesAsync(version, list, hello, c).ConfigureAwait(false);
            if (o.Kind != OfferKind.Retry)
            {
                offers.Add(new SentOffer(list, hello, _negotiator.Compact, o, enumerating));
            }

            if (version == TlsVersion.Tls12 && o.Kind == OfferKind.Accepted && o.Pick is { } p)
            {
                if (firstPick is null)
                {
                    firstPick = p;
                }
                else
                {
                    // Only a pinned second offer (it held the first pick again) tells; a window's next pick does not.
                    _tls12ClientOrder.TrySetResult(p != firstPick && list.Contains(firstPick.Value));
                }
            }

            if (o.Kind == OfferKind.Accepted && o.Handshake is { } h)
            {
                var group = version == TlsVersion.Tls13 ? h.ServerHello?.KeyShareGroup : h.ServerKeyExchange?.NamedCurve;
                if (group is { } g && (version == TlsVersion.Tls13 || CipherSuiteRegistry.Find(o.Pick!.Value)?.IsAnonymous == false))
                {
                    groupSteps.Add(new RemovalStep(groups, g, h));
                }

                if (schemes is { } sent && h.ServerKeyExchange?.SignatureScheme is { } scheme)
                {
                    schemeSteps.Add(new RemovalStep(sent, scheme, h));
                }
            }

            return o;
        }

        // The pinned second offer (the first pick again, last) is the repeat check of a server order at TLS 1.2 and
        // refutes a server order on a client-order server, both without a connection beyond the floor; elsewhere it
        // pays only when TLS 1.2 showed client order (a server-order server shows itself free by the alternating offers).
        var forecast = await Tls12ForecastAsync(version).ConfigureAwait(false);
        var pin = version == TlsVersion.Tls12 || (await Tls12LooksClientOrder.ConfigureAwait(false) && forecast is not { Suites.Length: <= 1 });
        var result = await RemovalEnumerator.RunAsync(
            ForecastFavouriteLast(SuiteCandidates.For(version, _options.IncludeCredentialSuites), forecast), () => _negotiator.SuiteWindow(version), Offer, [], ct, firstRefusalEnds: true,
            rank: SameAuthenticationFirst, pinFirstPick: pin).ConfigureAwait(false);
        enumerating = false;
        _counter.Probe = "suite_order " + name;
        // The identical-hello check (issue 16) costs one connection: once, at TLS 1.2, the version every lane starts with
        // and nearly every server has; a server choosing at random shows it there.
        var (order, suites) = await RemovalEnumerator.ResolveOrderAsync(result, () => _negotiator.SuiteWindow(version), Offer, ct,
            repeatCheck: version == TlsVersion.Tls12).ConfigureAwait(false);
        Versions[version] = new VersionRun(result, order, suites, _counter.CountOf("suites " + name) + _counter.CountOf("suite_order " + name));
    }

    /// <summary>
    /// What TLS 1.2 foretells of <paramref name="version"/> below it: the suites TLS 1.2 accepted that the version defines,
    /// in TLS 1.2's order, and that order. A server accepts below TLS 1.2 the suites of its one list that the version
    /// defines, in the same preference (OpenSSL, GnuTLS and NSS share one list across versions). Null for TLS 1.3 (its
    /// suites are not in that list) and TLS 1.2 itself, or when TLS 1.2 had errors. A forecast only chooses hellos, never
    /// a finding: a wrong one costs at most the connection it meant to save. Lanes wait for TLS 1.2 here as the
    /// sequential run does, so both send the same hellos.
    /// </summary>
    private async Task<(ImmutableArray<ushort> Suites, NegotiationOrder Order)?> Tls12ForecastAsync(TlsVersion version)
    {
        if (version is not (TlsVersion.Tls11 or TlsVersion.Tls10 or TlsVersion.Ssl3))
        {
            return null;
        }

        await _tls12Done.Task.ConfigureAwait(false);
        if (!Versions.TryGetValue(TlsVersion.Tls12, out var tls12) || !tls12.Result.Errors.IsEmpty)
        {
            return null;
        }

        var defined = CipherSuiteRegistry.DefinedFor(version).Select(s => s.Code).ToHashSet();
        return ([.. tls12.Suites.Where(defined.Contains)], tls12.Order);
    }

    /// <summary>
    /// The candidates with a foretold server order's suites first, most preferred first: the first offer goes reversed
    /// (least likely first, <see cref="RemovalEnumerator.RunAsync"/>), so they end it in rising preference and the
    /// server's pick, its favourite, is not the first acceptable suite offered — client order ruled out by the first
    /// handshake, where a favourite that happened to come first cost a swapped pair offer
    /// (<see cref="RemovalEnumerator.ResolveOrderAsync"/>). A client-order forecast instead decides the pinned second
    /// offer: it pays only with two suites or more (one would only be picked again).
    /// </summary>
    private static IReadOnlyList<ushort> ForecastFavouriteLast(IReadOnlyList<ushort> candidates, (ImmutableArray<ushort> Suites, NegotiationOrder Order)? forecast)
    {
        if (forecast is not { Order: NegotiationOrder.Server, Suites.Length: >= 2 } f)
        {
            return candidates;
        }

        var favourites = f.Suites.Where(candidates.Contains).ToList();
        return [.. favourites, .. candidates.Where(c => !favourites.Contains(c))];
    }

    /// <summary>
    /// Versions whose one offer met a close before any hello was accepted, judged again at the end
    /// (<see cref="Negotiator.ProvenEarlyClose"/>): a proven refusal makes the version "not supported", as nmap
    /// reports it, where it was inconclusive. Runs after every step, in the sequential run and in lanes.
    /// </summary>
    public void JudgeEarlyCloses()
    {
        foreach (var (version, v) in Versions.OrderBy(kv => kv.Key))
        {
            if (v.Result is { Accepted.IsEmpty: true, Refusal: null, Errors: [var failure] }
                && _negotiator.ProvenEarlyClose(failure) is { } refused)
            {
                Versions[version] = v with
                {
                    Result = v.Result with
                    {
                        Steps = [.. v.Result.Steps, new RemovalStep(refused.Offered, null, refused.Handshake)],
                        Refusal = refused.Refusal,
                        VersionRefused = true,
                        Errors = [],
                    },
                };
            }
        }
    }

    /// <summary>
    /// After the first accepted suite: suites authenticated like it (the server's certificate key type) first.
    /// A server with an RSA certificate cannot use the ECDSA and DSS suites of the first window, so those make
    /// room for RSA suites that would otherwise sit in a later window and cost merge offers for the order.
    /// </summary>
    private static Func<ushort, int>? SameAuthenticationFirst(ushort pick, HandshakeResult? handshake)
    {
        if (CipherSuiteRegistry.Find(pick) is not { Authentication: var auth and not (Authentication.Anonymous or Authentication.None or Authentication.Any) })
        {
            return null;
        }

        // Same authentication first, widely implemented ciphers first whatever the key exchange; then the
        // anonymous suites (any server may enable them, few do); then the rest.
        return code => CipherSuiteRegistry.Find(code) switch
        {
            { } s when s.Authentication == auth => SuiteCandidates.CipherRank(s),
            { Authentication: Authentication.Anonymous } s => 10 + SuiteCandidates.CipherRank(s),
            _ => 20,
        };
    }

    /// <summary>
    /// A suite offer's hello at <paramref name="version"/>: the groups (and at TLS 1.2 the signature algorithms) not seen
    /// yet first, and at TLS 1.3 an empty key_share, so the answer is a HelloRetryRequest naming the group. The
    /// negotiator's witness carries the TLS 1.3 one before any group was seen (the constructor).
    /// </summary>
    private (HelloOptions Hello, ImmutableArray<ushort> Groups, ImmutableArray<ushort>? Schemes) SuiteOfferHello(TlsVersion version,
        List<RemovalStep> groupSteps, List<RemovalStep> schemeSteps)
    {
        var groups = Unseen(GroupsOffered, groupSteps);
        var schemes = version == TlsVersion.Tls12 ? Unseen(SignaturesOffered, schemeSteps) : (ImmutableArray<ushort>?)null;
        return (new HelloOptions(groups, version == TlsVersion.Tls13 ? [] : null, schemes), groups, schemes);
    }

    /// <summary><paramref name="all"/> with the values already picked moved to the end.</summary>
    private static ImmutableArray<ushort> Unseen(ImmutableArray<ushort> all, List<RemovalStep> steps)
    {
        var seen = steps.Select(s => s.Pick!.Value).ToHashSet();
        return [.. all.Where(v => !seen.Contains(v)), .. all.Where(seen.Contains)];
    }
}
