using System.Collections.Concurrent;
using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>The key exchange parameters: ECDHE curves (TLS ≤ 1.2), TLS 1.3 groups, TLS 1.2 signature algorithms,
/// removal enumerations seeded with what the suite handshakes showed.</summary>
/// <remarks>
/// The curves and the groups return their order resolution instead of running it: the caller runs it last. Its
/// hello (the repeat check of a server order, the swapped pair of a client order) gets a ServerHello after every
/// enumeration's final close, so it is the proof those closes owe (<see cref="RefusalProof"/>) and no control hello
/// is needed.
/// </remarks>
internal sealed partial class AssessmentRun
{
    /// <param name="withSignatureAlgorithms">At TLS 1.2, enumerate the signature algorithms in the same handshakes.</param>
    /// <param name="ct">Cancels the step.</param>
    /// <param name="versions">The versions to look at (a lane looks at its own only); all ≤ TLS 1.2 by default.</param>
    /// <returns>The curve order's resolution, to run last; null when no version had ECDHE curves to enumerate.</returns>
    public async Task<Func<Task>?> EcdheCurvesAsync(bool withSignatureAlgorithms, CancellationToken ct, IReadOnlyList<TlsVersion>? versions = null)
    {
        // The highest version ≤ TLS 1.2 with an accepted ECDHE suite; its first ECDHE handshake is the seed.
        foreach (var version in versions ?? [TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3])
        {
            if (_negotiator.Fatal is not null || !Versions.TryGetValue(version, out var v))
            {
                continue;
            }

            var suites = v.Suites.Where(s => CipherSuiteRegistry.Find(s) is { KeyExchange: KeyExchange.Ecdhe, IsAnonymous: false })
                .Take(_negotiator.SuiteWindow(version)).ToImmutableArray();
            var curveSeeds = GroupSteps.GetValueOrDefault(version) ?? [];
            if (suites.IsEmpty || curveSeeds.Count == 0)
            {
                continue;
            }

            Task<Offer> Offer(ImmutableArray<ushort> curves, CancellationToken c) => _negotiator.OfferAsync(
                version, suites, new HelloOptions(Groups: curves), r => r.ServerKeyExchange?.NamedCurve, curves, c);
            RemovalResult result;
            if (withSignatureAlgorithms && version == TlsVersion.Tls12 && SchemeSteps.Count > 0)
            {
                // One ECDHE handshake shows a curve and a signature algorithm: enumerate both together.
                _counter.Probe = "ecdhe_curves+signature_algorithms";
                Task<JointOffer> Joint(ImmutableArray<ushort> curves, ImmutableArray<ushort> schemes, CancellationToken c) =>
                    _negotiator.OfferJointAsync(version, suites, curves, schemes, c);
                var (curveResult, sigResult) = await JointRemovalEnumerator.RunAsync(SuiteCandidates.EcdheCurves,
                    SignatureSchemes.All.Select(s => s.Code).ToList(), () => _negotiator.ListWindow, Joint, curveSeeds, SchemeSteps, ct).ConfigureAwait(false);
                result = curveResult;
                SignatureAlgorithms = sigResult.Accepted;
            }
            else
            {
                _counter.Probe = "ecdhe_curves";
                result = await RemovalEnumerator.RunAsync(SuiteCandidates.EcdheCurves, () => _negotiator.ListWindow, Offer, curveSeeds, ct).ConfigureAwait(false);
            }

            AddErrors(result.Errors);
            var curveVersion = version;
            return async () =>
            {
                _counter.Probe = "ecdhe_curve_order";
                // As for the suites (issue 16): a server order is confirmed by the same hello once more, one connection;
                // a server picking another curve for it is flagged inconsistent, not read as an order.
                var (order, curves) = await RemovalEnumerator.ResolveOrderAsync(result, () => _negotiator.ListWindow, Offer, ct, repeatCheck: true)
                    .ConfigureAwait(false);
                Curves = (curveVersion, order, curves);
            };
        }

        return null;
    }

    /// <returns>The group order's resolution, to run last; null when TLS 1.3 had no groups to enumerate.</returns>
    public async Task<Func<Task>?> Tls13GroupsAsync(CancellationToken ct)
    {
        if (_negotiator.Fatal is not null || !Versions.TryGetValue(TlsVersion.Tls13, out var v) || v.Suites.IsEmpty)
        {
            return null;
        }

        var seed = GroupSteps.GetValueOrDefault(TlsVersion.Tls13) ?? [];
        Task<Offer> Offer(ImmutableArray<ushort> groups, CancellationToken c) => _negotiator.OfferAsync(
            TlsVersion.Tls13, v.Suites, new HelloOptions(Groups: groups, KeyShares: []), r => r.ServerHello?.KeyShareGroup, groups, c);
        _counter.Probe = "tls13_groups";
        var result = await RemovalEnumerator.RunAsync(SuiteCandidates.Tls13Groups, () => _negotiator.ListWindow, Offer, seed, ct).ConfigureAwait(false);
        AddErrors(result.Errors);
        return async () =>
        {
            _counter.Probe = "tls13_group_order";
            var (order, groups) = await RemovalEnumerator.ResolveOrderAsync(result, () => _negotiator.ListWindow, Offer, ct, repeatCheck: true)
                .ConfigureAwait(false);
            Tls13Groups = (order, groups);
        };
    }

    public async Task SignatureAlgorithmsAsync(CancellationToken ct)
    {
        if (_negotiator.Fatal is not null || SignatureAlgorithms is not null || !Versions.TryGetValue(TlsVersion.Tls12, out var v))
        {
            return;
        }

        // Only a ServerKeyExchange shows the scheme the server signs with: (EC)DHE suites.
        var suites = v.Suites.Where(s => CipherSuiteRegistry.Find(s)?.KeyExchange is KeyExchange.Ecdhe or KeyExchange.Dhe
            && CipherSuiteRegistry.Find(s)?.IsAnonymous == false).Take(_negotiator.SuiteWindow(TlsVersion.Tls12)).ToImmutableArray();
        if (suites.IsEmpty)
        {
            return;
        }

        var seed = SchemeSteps.Where(s => s.Handshake?.CipherSuite is { } p && suites.Contains(p)).ToList();
        Task<Offer> Offer(ImmutableArray<ushort> schemes, CancellationToken c) => _negotiator.OfferAsync(
            TlsVersion.Tls12, suites, new HelloOptions(SignatureAlgorithms: schemes), r => r.ServerKeyExchange?.SignatureScheme, schemes, c);
        _counter.Probe = "signature_algorithms";
        var candidates = SignatureSchemes.All.Select(s => s.Code).ToList();
        var result = await RemovalEnumerator.RunAsync(candidates, () => _negotiator.ListWindow, Offer, seed, ct).ConfigureAwait(false);
        AddErrors(result.Errors);
        SignatureAlgorithms = result.Accepted;
    }
}
