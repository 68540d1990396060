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
            var groups = Unseen(GroupsOffered, groupSteps);
            var schemes = version == TlsVersion.Tls12 ? Unseen(SignaturesOffered, schemeSteps) : (ImmutableArray<ushort>?)null;
            var hello = new HelloOptions(groups, version == TlsVersion.Tls13 ? [] : null, schemes);
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
        var pin = version == TlsVersion.Tls12 || await Tls12LooksClientOrder.ConfigureAwait(false);
        var result = await RemovalEnumerator.RunAsync(
            SuiteCandidates.For(version, _options.IncludeCredentialSuites), () => _negotiator.SuiteWindow(version), Offer, [], ct, firstRefusalEnds: true,
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

    /// <summary><paramref name="all"/> with the values already picked moved to the end.</summary>
    private static ImmutableArray<ushort> Unseen(ImmutableArray<ushort> all, List<RemovalStep> steps)
    {
        var seen = steps.Select(s => s.Pick!.Value).ToHashSet();
        return [.. all.Where(v => !seen.Contains(v)), .. all.Where(seen.Contains)];
    }
}
