using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The full TLS assessment of one endpoint over any <see cref="ITlsConnectionFactory"/>, frugal with
/// connections because XMPP servers rate-limit hard:
/// <list type="number">
/// <item>Per version (TLS 1.2, 1.3, 1.1, 1.0, SSLv3): removal enumeration of the suites; its first handshake
/// is also the protocol-support test, and a refused version costs one connection.</item>
/// <item>Server order from the same handshakes (alternating offer order); one swapped offer only when the
/// picks are consistent with client order.</item>
/// <item>SSLv2: one connection (the SERVER-HELLO lists every cipher kind); a close or silence costs the control
/// hello too, unless a version's close already sent it.</item>
/// <item>ECDHE curves (TLS ≤ 1.2), TLS 1.3 groups (HelloRetryRequest to an empty key_share), TLS 1.2
/// signature algorithms: removal enumerations seeded with what the suite handshakes already showed.</item>
/// </list>
/// No version's exclusions are carried into another. DH groups come free from the DHE handshakes. With
/// <see cref="AssessmentOptions.MaxConnectionsPerServer"/> ≥ 2 the independent steps run in two lanes: the same
/// hellos, results and connection counts in about half the wall time.
/// </summary>
public sealed class TlsAssessor(ScanLimits limits, AssessmentOptions? options = null)
{
    private readonly AssessmentOptions _options = options ?? AssessmentOptions.Default;

    /// <summary>Assesses the endpoint behind <paramref name="connections"/>; <paramref name="serverName"/> is the SNI.</summary>
    public Task<TlsAssessmentReport> AssessAsync(ITlsConnectionFactory connections, string? serverName, CancellationToken cancellationToken) =>
        AssessAsync(CreateCounter(connections), serverName, cancellationToken);

    /// <summary>The connection counter for this assessment's options: spacing, and up to
    /// <see cref="AssessmentOptions.MaxConnectionsPerServer"/> open at once (clamped to 1–4).</summary>
    public CountingConnectionFactory CreateCounter(ITlsConnectionFactory connections) =>
        new(connections, _options.MinimumSpacing, maxConcurrent: Math.Clamp(_options.MaxConnectionsPerServer, 1, 4));

    /// <summary>Assesses over <paramref name="counter"/>, which the caller keeps for the probes that follow (same
    /// sequencing and spacing; their connections are counted after the assessment's).</summary>
    public async Task<TlsAssessmentReport> AssessAsync(CountingConnectionFactory counter, string? serverName, CancellationToken cancellationToken) =>
        (await AssessWithChainAsync(counter, serverName, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>As <see cref="AssessAsync(CountingConnectionFactory, string?, CancellationToken)"/>, with the DER of the chain
    /// the report's <see cref="TlsAssessmentReport.ChainSha256"/> names (empty when no handshake carried one).</summary>
    public async Task<AssessedChain> AssessWithChainAsync(CountingConnectionFactory counter, string? serverName, CancellationToken cancellationToken)
    {
        var concurrent = counter.MaxConcurrent;
        var negotiator = new Negotiator(new HandshakeProbe(counter, limits), serverName, _options);
        var run = new AssessmentRun(negotiator, counter, _options);

        if (concurrent == 1)
        {
            foreach (var version in AssessmentRun.SuiteVersions)
            {
                await run.EnumerateSuitesAsync(version, cancellationToken).ConfigureAwait(false);
            }

            await run.TestSsl2Async(new HandshakeProbe(counter, limits), cancellationToken).ConfigureAwait(false);
            await run.EcdheCurvesAsync(_options.SignatureAlgorithms, cancellationToken).ConfigureAwait(false);
            await run.Tls13GroupsAsync(cancellationToken).ConfigureAwait(false);
            if (_options.SignatureAlgorithms)
            {
                await run.SignatureAlgorithmsAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await RunInLanesAsync(run, negotiator, new HandshakeProbe(counter, limits), cancellationToken).ConfigureAwait(false);
        }

        var chain = run.ObservedChain();
        var report = AssessmentReportBuilder.Build(run, negotiator, counter) with
        {
            ChainSha256 = chain.Count == 0 ? null : [.. chain.Select(der => Convert.ToHexStringLower(SHA256.HashData(der)))],
        };
        return new AssessedChain(report, chain);
    }

    /// <summary>
    /// The same steps as the sequential run, in two lanes that write disjoint parts of the run and read only what
    /// their own lane wrote: A is TLS 1.2 and what its handshakes seed (ECDHE curves, signature algorithms); B the
    /// other versions, SSLv2 and the TLS 1.3 groups. B starts only once the hello shape is settled (normally by
    /// the first TLS 1.2 offer), so both lanes send the hellos the sequential run would. Curves from a version
    /// below TLS 1.2 (no ECDHE suite at 1.2) need B's results and run after both lanes. A fatal failure in one
    /// lane (refused, STARTTLS rejected) also stops the other at its next offer.
    /// </summary>
    private async Task RunInLanesAsync(AssessmentRun run, Negotiator negotiator, HandshakeProbe ssl2, CancellationToken ct)
    {
        var tls12 = run.EnumerateSuitesAsync(TlsVersion.Tls12, ct);
        await Task.WhenAny(negotiator.Settled, tls12).ConfigureAwait(false);

        async Task LaneA()
        {
            await tls12.ConfigureAwait(false);
            await run.EcdheCurvesAsync(_options.SignatureAlgorithms, ct, [TlsVersion.Tls12]).ConfigureAwait(false);
            if (_options.SignatureAlgorithms)
            {
                await run.SignatureAlgorithmsAsync(ct).ConfigureAwait(false);
            }
        }

        async Task LaneB()
        {
            // Whether the other versions pin their second offer depends on TLS 1.2's first two answers.
            await run.Tls12LooksClientOrder.ConfigureAwait(false);
            foreach (var version in AssessmentRun.SuiteVersions.Where(v => v != TlsVersion.Tls12))
            {
                await run.EnumerateSuitesAsync(version, ct).ConfigureAwait(false);
            }

            await run.TestSsl2Async(ssl2, ct).ConfigureAwait(false);
            await run.Tls13GroupsAsync(ct).ConfigureAwait(false);
        }

        await Task.WhenAll(LaneA(), LaneB()).ConfigureAwait(false);
        if (run.Curves is null)
        {
            await run.EcdheCurvesAsync(_options.SignatureAlgorithms, ct).ConfigureAwait(false);
        }
    }
}

/// <summary>The state of one assessment while it runs (what every step reuses from the earlier ones).</summary>
internal sealed class AssessmentRun(Negotiator negotiator, CountingConnectionFactory counter, AssessmentOptions options)
{
    /// <summary>The suite enumerations in sequential order.</summary>
    public static readonly ImmutableArray<TlsVersion> SuiteVersions = [TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3];

    /// <summary>Per version: the enumeration, the resolved order, and the connections it took.</summary>
    public ConcurrentDictionary<TlsVersion, VersionRun> Versions { get; } = [];

    public HandshakeResult? Ssl2 { get; private set; }

    public (TlsVersion Version, NegotiationOrder Order, ImmutableArray<ushort> Curves)? Curves { get; private set; }

    public (NegotiationOrder Order, ImmutableArray<ushort> Groups)? Tls13Groups { get; private set; }

    public ImmutableArray<ushort>? SignatureAlgorithms { get; private set; }

    public List<ProbeFailure> Errors { get; } = [];

    /// <summary>
    /// The chain the engine's handshakes received: the Certificate message of the highest TLS ≤ 1.2 version whose
    /// accepted handshake carried one (plaintext there, RFC 5246 §7.4.2), else the SSLv2 SERVER-HELLO's certificate
    /// (SSL 2.0 carries exactly one). What a server no TLS library finishes a handshake with is known by.
    /// </summary>
    public IReadOnlyList<byte[]> ObservedChain()
    {
        foreach (var version in (TlsVersion[])[TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3])
        {
            if (Versions.TryGetValue(version, out var v)
                && v.Result.Steps.Select(s => s.Handshake).FirstOrDefault(h => h is { Certificates.Length: > 0 }) is { } h)
            {
                return [.. h.Certificates.Select(c => c.ToArray())];
            }
        }

        return Ssl2?.Ssl2ServerHello is { IsError: false, Certificate.Length: > 0 } ssl2 ? [ssl2.Certificate.ToArray()] : [];
    }

    /// <summary>
    /// Where <paramref name="probe"/>'s connections come in the sequential run: the report lists them in this
    /// order whichever lane opened them first.
    /// </summary>
    public static int StepRank(string probe)
    {
        for (var i = 0; i < SuiteVersions.Length; i++)
        {
            if (probe == "suites " + SuiteVersions[i].Name())
            {
                return 2 * i;
            }

            if (probe == "suite_order " + SuiteVersions[i].Name())
            {
                return 2 * i + 1;
            }
        }

        return probe switch
        {
            "SSLv2" => 20,
            "ecdhe_curves" or "ecdhe_curves+signature_algorithms" => 21,
            "ecdhe_curve_order" => 22,
            "tls13_groups" => 23,
            "tls13_group_order" => 24,
            "signature_algorithms" => 25,
            _ => 30,
        };
    }

    private void AddErrors(ImmutableArray<ProbeFailure> errors)
    {
        lock (Errors)
        {
            Errors.AddRange(errors);
        }
    }

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
        if (negotiator.Fatal is not null)
        {
            return;
        }

        var name = version.Name();
        counter.Probe = "suites " + name;
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
        async Task<Offer> Offer(ImmutableArray<ushort> list, CancellationToken c)
        {
            var groups = Unseen(GroupsOffered, groupSteps);
            var schemes = version == TlsVersion.Tls12 ? Unseen(SignaturesOffered, schemeSteps) : (ImmutableArray<ushort>?)null;
            var hello = new HelloOptions(groups, version == TlsVersion.Tls13 ? [] : null, schemes);
            var o = await negotiator.OfferSuitesAsync(version, list, hello, c).ConfigureAwait(false);
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
            SuiteCandidates.For(version, options.IncludeCredentialSuites), () => negotiator.SuiteWindow(version), Offer, [], ct, firstRefusalEnds: true,
            rank: SameAuthenticationFirst, pinFirstPick: pin).ConfigureAwait(false);
        counter.Probe = "suite_order " + name;
        // The identical-hello check (issue 16) costs one connection: once, at TLS 1.2, the version every lane starts with
        // and nearly every server has; a server choosing at random shows it there.
        var (order, suites) = await RemovalEnumerator.ResolveOrderAsync(result, () => negotiator.SuiteWindow(version), Offer, ct,
            repeatCheck: version == TlsVersion.Tls12).ConfigureAwait(false);
        Versions[version] = new VersionRun(result, order, suites, counter.CountOf("suites " + name) + counter.CountOf("suite_order " + name));
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

    /// <summary>Group picks seen in each version's suite handshakes (offered list, pick).</summary>
    private ConcurrentDictionary<TlsVersion, List<RemovalStep>> GroupSteps { get; } = [];

    /// <summary>Signature algorithm picks seen in the TLS 1.2 suite handshakes.</summary>
    private List<RemovalStep> SchemeSteps { get; set; } = [];

    /// <summary><paramref name="all"/> with the values already picked moved to the end.</summary>
    private static ImmutableArray<ushort> Unseen(ImmutableArray<ushort> all, List<RemovalStep> steps)
    {
        var seen = steps.Select(s => s.Pick!.Value).ToHashSet();
        return [.. all.Where(v => !seen.Contains(v)), .. all.Where(seen.Contains)];
    }

    public async Task TestSsl2Async(HandshakeProbe probe, CancellationToken ct)
    {
        if (negotiator.Fatal is not null)
        {
            return;
        }

        counter.Probe = "SSLv2";
        var r = await probe.RunSsl2Async(Ssl2CipherSpecs.All.Select(s => s.Code), ct).ConfigureAwait(false);
        if (r.Outcome == HandshakeOutcome.Failed)
        {
            // An SSLv2 ERROR or a TLS alert is the server saying no; a close or silence is one only when the control
            // hello shows the server still answering (issue 16), the same rule as every TLS version; garbage, an
            // oversized record or a failed connection is no answer at all.
            var what = r.Failure?.Message ?? "no answer";
            Ssl2Inconclusive = r.Failure?.Kind is FailureKind.ConnectionClosed or FailureKind.Timeout
                ? await negotiator.ControlFailureAsync(ct).ConfigureAwait(false) is { } failed ? $"{what}; {failed}" : null
                : what;
        }

        Ssl2 = r;
    }

    /// <summary>Why SSLv2's failed hello is no refusal (the control hello failed too, nothing was accepted to control
    /// with, or the answer was no answer); null when the server answered or the control confirmed the close.</summary>
    public string? Ssl2Inconclusive { get; private set; }

    /// <param name="withSignatureAlgorithms">At TLS 1.2, enumerate the signature algorithms in the same handshakes.</param>
    /// <param name="ct">Cancels the step.</param>
    /// <param name="versions">The versions to look at (a lane looks at its own only); all ≤ TLS 1.2 by default.</param>
    public async Task EcdheCurvesAsync(bool withSignatureAlgorithms, CancellationToken ct, IReadOnlyList<TlsVersion>? versions = null)
    {
        // The highest version ≤ TLS 1.2 with an accepted ECDHE suite; its first ECDHE handshake is the seed.
        foreach (var version in versions ?? [TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3])
        {
            if (negotiator.Fatal is not null || !Versions.TryGetValue(version, out var v))
            {
                continue;
            }

            var suites = v.Suites.Where(s => CipherSuiteRegistry.Find(s) is { KeyExchange: KeyExchange.Ecdhe, IsAnonymous: false })
                .Take(negotiator.SuiteWindow(version)).ToImmutableArray();
            var curveSeeds = GroupSteps.GetValueOrDefault(version) ?? [];
            if (suites.IsEmpty || curveSeeds.Count == 0)
            {
                continue;
            }

            Task<Offer> Offer(ImmutableArray<ushort> curves, CancellationToken c) => negotiator.OfferAsync(
                version, suites, new HelloOptions(Groups: curves), r => r.ServerKeyExchange?.NamedCurve, curves, c);
            RemovalResult result;
            if (withSignatureAlgorithms && version == TlsVersion.Tls12 && SchemeSteps.Count > 0)
            {
                // One ECDHE handshake shows a curve and a signature algorithm: enumerate both together.
                counter.Probe = "ecdhe_curves+signature_algorithms";
                Task<JointOffer> Joint(ImmutableArray<ushort> curves, ImmutableArray<ushort> schemes, CancellationToken c) =>
                    negotiator.OfferJointAsync(version, suites, curves, schemes, c);
                var (curveResult, sigResult) = await JointRemovalEnumerator.RunAsync(SuiteCandidates.EcdheCurves,
                    SignatureSchemes.All.Select(s => s.Code).ToList(), () => negotiator.ListWindow, Joint, curveSeeds, SchemeSteps, ct).ConfigureAwait(false);
                result = curveResult;
                SignatureAlgorithms = sigResult.Accepted;
            }
            else
            {
                counter.Probe = "ecdhe_curves";
                result = await RemovalEnumerator.RunAsync(SuiteCandidates.EcdheCurves, () => negotiator.ListWindow, Offer, curveSeeds, ct).ConfigureAwait(false);
            }

            counter.Probe = "ecdhe_curve_order";
            // As for the suites (issue 16): a server order is confirmed by the same hello once more, one connection; a
            // server picking another curve for it is flagged inconsistent, not read as an order.
            var (order, curves) = await RemovalEnumerator.ResolveOrderAsync(result, () => negotiator.ListWindow, Offer, ct, repeatCheck: true)
                .ConfigureAwait(false);
            AddErrors(result.Errors);
            Curves = (version, order, curves);
            return;
        }
    }

    private ImmutableArray<ushort> GroupsOffered => negotiator.Compact ? AssessmentHello.CompactGroups : ClientHelloProfiles.DefaultGroups;

    private ImmutableArray<ushort> SignaturesOffered =>
        negotiator.Compact ? AssessmentHello.CompactSignatureAlgorithms : ClientHelloProfiles.DefaultSignatureAlgorithms;

    public async Task Tls13GroupsAsync(CancellationToken ct)
    {
        if (negotiator.Fatal is not null || !Versions.TryGetValue(TlsVersion.Tls13, out var v) || v.Suites.IsEmpty)
        {
            return;
        }

        var seed = GroupSteps.GetValueOrDefault(TlsVersion.Tls13) ?? [];
        Task<Offer> Offer(ImmutableArray<ushort> groups, CancellationToken c) => negotiator.OfferAsync(
            TlsVersion.Tls13, v.Suites, new HelloOptions(Groups: groups, KeyShares: []), r => r.ServerHello?.KeyShareGroup, groups, c);
        counter.Probe = "tls13_groups";
        var result = await RemovalEnumerator.RunAsync(SuiteCandidates.Tls13Groups, () => negotiator.ListWindow, Offer, seed, ct).ConfigureAwait(false);
        counter.Probe = "tls13_group_order";
        var (order, groups) = await RemovalEnumerator.ResolveOrderAsync(result, () => negotiator.ListWindow, Offer, ct, repeatCheck: true)
            .ConfigureAwait(false);
        AddErrors(result.Errors);
        Tls13Groups = (order, groups);
    }

    public async Task SignatureAlgorithmsAsync(CancellationToken ct)
    {
        if (negotiator.Fatal is not null || SignatureAlgorithms is not null || !Versions.TryGetValue(TlsVersion.Tls12, out var v))
        {
            return;
        }

        // Only a ServerKeyExchange shows the scheme the server signs with: (EC)DHE suites.
        var suites = v.Suites.Where(s => CipherSuiteRegistry.Find(s)?.KeyExchange is KeyExchange.Ecdhe or KeyExchange.Dhe
            && CipherSuiteRegistry.Find(s)?.IsAnonymous == false).Take(negotiator.SuiteWindow(TlsVersion.Tls12)).ToImmutableArray();
        if (suites.IsEmpty)
        {
            return;
        }

        var seed = SchemeSteps.Where(s => s.Handshake?.CipherSuite is { } p && suites.Contains(p)).ToList();
        Task<Offer> Offer(ImmutableArray<ushort> schemes, CancellationToken c) => negotiator.OfferAsync(
            TlsVersion.Tls12, suites, new HelloOptions(SignatureAlgorithms: schemes), r => r.ServerKeyExchange?.SignatureScheme, schemes, c);
        counter.Probe = "signature_algorithms";
        var candidates = SignatureSchemes.All.Select(s => s.Code).ToList();
        var result = await RemovalEnumerator.RunAsync(candidates, () => negotiator.ListWindow, Offer, seed, ct).ConfigureAwait(false);
        AddErrors(result.Errors);
        SignatureAlgorithms = result.Accepted;
    }
}

/// <summary>An assessment and the DER of the chain its handshakes received (leaf first; empty without one).</summary>
public sealed record AssessedChain(TlsAssessmentReport Report, IReadOnlyList<byte[]> Chain);

/// <summary>One version's enumeration.</summary>
/// <param name="Result">The removal enumeration.</param>
/// <param name="Order">Whose order picks the suite.</param>
/// <param name="Suites">Accepted suites, in server order (Server) or code order (Client).</param>
/// <param name="Connections">Connections for the suites and their order.</param>
internal sealed record VersionRun(RemovalResult Result, NegotiationOrder Order, ImmutableArray<ushort> Suites, int Connections);
