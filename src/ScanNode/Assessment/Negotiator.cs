using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Sends the assessment's hellos and classifies the answers. Owns the hello shape, widest first: one offer per
/// protocol carrying every candidate suite (removal in that single offer reads the server's whole order, so
/// suites cost one handshake each plus one refusal); when a server fails to answer it (reset, silence, garbage,
/// or a decode-type alert) before any hello has worked — on a server whose own session negotiated TLS 1.3, first the
/// witness hello (Negotiator.Witness.cs) —, the same retry with the full hello cut to
/// <see cref="AssessmentOptions.MaxSuitesPerHello"/> suites (windows, merged afterwards), and when that fails too
/// the compact hello; the first shape that gets an answer is used for the rest of the assessment.
/// Stops everything after a connection-level failure (refused, STARTTLS rejected…): no point hammering.
/// </summary>
internal sealed partial class Negotiator(HandshakeProbe probe, string? serverName, AssessmentOptions options)
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _proven;
    private readonly Lock _controlLock = new();
    private (TlsVersion Version, ushort Suite)? _control;
    private bool _fallbackTried;
    private readonly RefusalProof _proof = new();
    // Silent closes met before any hello was accepted, by the failure they were reported with: judged again at the end.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ProbeFailure, (Offer Offer, long Mark)> _beforeAnyAccepted =
        new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Completes once the hello shape can no longer change (the full hello got an answer, or the fallback was
    /// tried) or a fatal failure stopped the assessment: from then on, offers may run concurrently.
    /// </summary>
    public Task Settled => _settled.Task;

    /// <summary>The hello shape in use.</summary>
    public HelloShape Shape { get; private set; } = options.OneOfferPerProtocol ? HelloShape.OneOffer : HelloShape.Windowed;

    /// <summary>Compact hellos are in use.</summary>
    public bool Compact => Shape == HelloShape.Compact;

    /// <summary>What the widest hello got when a fallback was taken.</summary>
    public ProbeFailure? FullHelloFailure { get; private set; }

    /// <summary>A failure that ends the assessment (nothing more is sent).</summary>
    public ProbeFailure? Fatal { get; private set; }

    /// <summary>Some server answer (ServerHello, HRR, alert, SSLv2 message) was read.</summary>
    public bool AnyAnswer { get; private set; }

    /// <summary>Suites per hello at <paramref name="version"/> (SSLv3 carries the SCSV too).</summary>
    public int SuiteWindow(TlsVersion version) => Shape switch
    {
        HelloShape.Compact => options.CompactSuitesPerHello - (version == TlsVersion.Ssl3 ? 1 : 0),
        // SSLv3 (RFC 6101) has no extensions, so no padding: its hello stays short of 256 bytes (the F5 hang on
        // hellos of 256–511 bytes that the padding extension works around, RFC 7685 §1).
        _ when version == TlsVersion.Ssl3 => options.MaxSuitesPerHello - 1,
        HelloShape.OneOffer => int.MaxValue,
        _ => options.MaxSuitesPerHello,
    };

    /// <summary>Groups or signature algorithms per hello.</summary>
    public int ListWindow => Compact ? 12 : 64;

    /// <summary>Offers <paramref name="suites"/> at <paramref name="version"/>; the pick is the chosen suite.</summary>
    public Task<Offer> OfferSuitesAsync(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello,
        CancellationToken cancellationToken) =>
        OfferAsync(version, suites, hello, r => r.CipherSuite, suites, allowFallback: true, cancellationToken);

    /// <summary>One hello whose pick is read by <paramref name="pick"/> (a curve, a group, a scheme); the offered
    /// list reported is <paramref name="offered"/>.</summary>
    public Task<Offer> OfferAsync(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello,
        Func<HandshakeResult, ushort?> pick, ImmutableArray<ushort> offered, CancellationToken cancellationToken) =>
        OfferAsync(version, suites, hello, pick, offered, allowFallback: false, cancellationToken);

    /// <summary>An ECDHE hello offering <paramref name="curves"/> and <paramref name="schemes"/>: the pick is
    /// (curve, signature algorithm) from the ServerKeyExchange.</summary>
    public async Task<JointOffer> OfferJointAsync(TlsVersion version, ImmutableArray<ushort> suites, ImmutableArray<ushort> curves,
        ImmutableArray<ushort> schemes, CancellationToken cancellationToken)
    {
        var o = await OfferAsync(version, suites, new HelloOptions(Groups: curves, SignatureAlgorithms: schemes),
            r => r.ServerKeyExchange?.NamedCurve, curves, allowFallback: false, cancellationToken).ConfigureAwait(false);
        var scheme = o.Handshake?.ServerKeyExchange?.SignatureScheme;
        return o.Kind == OfferKind.Accepted && scheme is null
            ? new JointOffer(OfferKind.Failed, null, null, o.Handshake, null)
            : new JointOffer(o.Kind, o.Pick, scheme, o.Handshake, o.Refusal);
    }

    private async Task<Offer> OfferAsync(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello,
        Func<HandshakeResult, ushort?> pick, ImmutableArray<ushort> offered, bool allowFallback, CancellationToken cancellationToken)
    {
        try
        {
            return await OfferOnceAsync(version, suites, hello, pick, offered, allowFallback, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_proven || _fallbackTried || Fatal is not null)
            {
                _settled.TrySetResult();
            }
        }
    }

    private async Task<Offer> OfferOnceAsync(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello,
        Func<HandshakeResult, ushort?> pick, ImmutableArray<ushort> offered, bool allowFallback, CancellationToken cancellationToken)
    {
        if (Fatal is not null)
        {
            return new Offer(OfferKind.Failed, null, offered, HandshakeResult.Failed(Fatal), null);
        }

        var r = TakeWitnessed(version, suites, hello)
            ?? await RunAsync(AssessmentHello.Build(version, suites, serverName, Compact, hello), cancellationToken).ConfigureAwait(false);
        var closedAt = _proof.Mark();
        if (Answered(r))
        {
            _proven = true;
        }

        if (allowFallback && !_proven && version == TlsVersion.Tls12 && LooksIntolerant(r))
        {
            await WitnessAsync(suites, hello, cancellationToken).ConfigureAwait(false);
        }

        if (allowFallback && !_proven && !_fallbackTried && version != TlsVersion.Ssl3 && LooksIntolerant(r))
        {
            _fallbackTried = true;
            if (await NarrowerShapeAnsweredAsync(version, suites, hello, cancellationToken).ConfigureAwait(false) is { } rc)
            {
                // A narrower hello got an answer: use it from now on, and have the caller offer again with the
                // smaller window (this answer covered only part of what the caller meant to offer).
                FullHelloFailure = r.Failure ?? new ProbeFailure(FailureKind.TlsAlert, "alert " + r.Alert?.DescriptionName);
                return new Offer(OfferKind.Retry, null, [], rc, null);
            }
        }

        var offer = Classify(version, r, pick, offered);
        if (offer.Kind == OfferKind.Accepted && r.CipherSuite is { } suite && offered.Contains(suite))
        {
            lock (_controlLock)
            {
                _control ??= (version, suite);
            }
        }

        return offer.Kind == OfferKind.Refused && r.Outcome == HandshakeOutcome.Failed ? TakeSilentClose(offer, closedAt) : offer;
    }

    /// <summary>Every hello of the assessment, numbered as it starts for <see cref="RefusalProof"/>.</summary>
    private async Task<HandshakeResult> RunAsync(ClientHelloProfile hello, CancellationToken cancellationToken)
    {
        var index = _proof.Start();
        var r = await probe.RunAsync(hello, cancellationToken).ConfigureAwait(false);
        if (Answered(r))
        {
            _proof.Answered(index);
        }

        return r;
    }

    /// <summary>
    /// The fallbacks after the widest hello met what looks like intolerance: each narrower shape in turn, with the
    /// first suites of the offer; the first answered (not intolerant) becomes the shape, else the shape stays (the
    /// server may simply close on what it does not support, as ejabberd does).
    /// </summary>
    private async Task<HandshakeResult?> NarrowerShapeAnsweredAsync(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello,
        CancellationToken cancellationToken)
    {
        for (var shape = Shape + 1; shape <= HelloShape.Compact; shape++)
        {
            var compact = shape == HelloShape.Compact;
            ImmutableArray<ushort> shortSuites = [.. suites.Take(compact ? options.CompactSuitesPerHello : options.MaxSuitesPerHello)];
            // The compact shape's own short lists: the caller's lists were sized for the full hello.
            var retryHello = compact ? new HelloOptions(KeyShares: hello?.KeyShares) : hello;
            var rc = await RunAsync(AssessmentHello.Build(version, shortSuites, serverName, compact, retryHello), cancellationToken)
                .ConfigureAwait(false);
            if (rc.Outcome is not HandshakeOutcome.Failed && !LooksIntolerant(rc))
            {
                Shape = shape;
                _proven = true;
                return rc;
            }
        }

        return null;
    }

    /// <summary>
    /// A close or silence is a refusal only when the server is seen answering a hello after it (issue 16): then it
    /// closes on what it does not support (ejabberd 23.01/fast_tls closes on every handshake failure without an
    /// alert). Taken as one at once, its proof owed until <see cref="ProveRefusalsAsync"/>; before any hello was
    /// accepted, it is inconclusive for now (the server may be failing, or intolerant of the hello) and judged again
    /// at the end (<see cref="ProvenEarlyClose"/>).
    /// </summary>
    private Offer TakeSilentClose(Offer offer, long closedAt)
    {
        if (TakeCloseAsRefusal(closedAt) is not { } why)
        {
            return offer with { Refusal = offer.Refusal + ConfirmedSuffix };
        }

        var inconclusive = Inconclusive(offer, $"inconclusive: {offer.Handshake?.Failure?.Message ?? offer.Refusal ?? "no answer"}; {why}");
        _beforeAnyAccepted[inconclusive.Failure!] = (offer, closedAt);
        return inconclusive;
    }

    /// <summary>What a refusal read from a close or a silence carries after its own words.</summary>
    public const string ConfirmedSuffix = " (confirmed: a later hello was answered)";

    /// <summary>
    /// Whether a close or silence met now by any hello of this assessment (a TLS version, SSLv2) counts as a refusal:
    /// null when it does (a hello was accepted before; the proof, a hello answered after it, is owed until
    /// <see cref="ProveRefusalsAsync"/>), else why not. <paramref name="closedAt"/>: the proof mark when the close was
    /// met (default now).
    /// </summary>
    public string? TakeCloseAsRefusal(long? closedAt = null)
    {
        lock (_controlLock)
        {
            if (_control is null)
            {
                return "no hello was accepted yet to tell a refusal from a failing server";
            }
        }

        _proof.Owe(closedAt ?? _proof.Mark());
        return null;
    }

    /// <summary>
    /// At the end of the assessment: null when every close taken as a refusal was followed by an answered hello,
    /// else why not. Usually a hello the assessment sent anyway answered after the last close; when none did, one
    /// control hello (the first accepted version and suite) is sent now. Early closes owe the same proof once
    /// something was accepted.
    /// </summary>
    public async Task<string?> ProveRefusalsAsync(CancellationToken cancellationToken)
    {
        (TlsVersion Version, ushort Suite)? control;
        lock (_controlLock)
        {
            control = _control;
        }

        if (control is not { } c)
        {
            return null; // nothing was taken as a refusal
        }

        foreach (var (_, mark) in _beforeAnyAccepted.Values)
        {
            _proof.Owe(mark);
        }

        if (!_proof.Owing)
        {
            return null;
        }

        if (Fatal is not null)
        {
            return $"the assessment stopped ({Fatal.Message}) before a hello was answered after the last close";
        }

        var r = await RunAsync(AssessmentHello.Build(c.Version, [c.Suite], serverName, Compact, null), cancellationToken).ConfigureAwait(false);
        return _proof.Owing
            ? $"the control hello ({c.Version.Name()}, {CipherSuiteRegistry.NameOf(c.Suite)}, accepted earlier) got no answer either "
                + $"({r.Failure?.Message ?? r.Alert?.DescriptionName ?? "no ServerHello"})"
            : null;
    }

    /// <summary>
    /// A close met before any hello of this assessment was accepted (the first version tried is one the server
    /// lacks: a TLS 1.3-only server closing on TLS 1.2), as a refusal when a hello started after it was answered;
    /// null when <paramref name="failure"/> is not such a close or none was. Call after <see cref="ProveRefusalsAsync"/>.
    /// </summary>
    public Offer? ProvenEarlyClose(ProbeFailure failure) =>
        Fatal is null && _beforeAnyAccepted.TryGetValue(failure, out var early) && _proof.AnsweredAfter(early.Mark)
            ? early.Offer with { Refusal = early.Offer.Refusal + ConfirmedSuffix }
            : null;

    private static Offer Inconclusive(Offer offer, string reason) => offer with
    {
        Kind = OfferKind.Failed,
        Refusal = null,
        Handshake = (offer.Handshake ?? HandshakeResult.Failed(new ProbeFailure(FailureKind.ConnectionClosed, reason)))
            with { Failure = new ProbeFailure(offer.Handshake?.Failure?.Kind ?? FailureKind.ConnectionClosed, reason) },
    };

    /// <summary>Turns a handshake into an offer result at <paramref name="version"/>.</summary>
    public Offer Classify(TlsVersion version, HandshakeResult r, Func<HandshakeResult, ushort?> pick, ImmutableArray<ushort> offered)
    {
        switch (r.Outcome)
        {
            case HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest:
                AnyAnswer = true;
                if (r.NegotiatedVersion != (ushort)version)
                {
                    return new Offer(OfferKind.VersionRefused, null, offered, r, "negotiated " + ((TlsVersion)r.NegotiatedVersion).Name());
                }

                return pick(r) is { } p
                    ? new Offer(OfferKind.Accepted, p, offered, r, null)
                    : new Offer(OfferKind.Failed, null, offered, r with { Failure = r.Failure ?? new ProbeFailure(FailureKind.ProtocolError, "the answer lacks the expected choice") }, null);
            case HandshakeOutcome.Alert:
                AnyAnswer = true;
                var name = "alert " + r.Alert!.DescriptionName;
                return new Offer(r.Alert.Description == TlsAlertDescription.ProtocolVersion ? OfferKind.VersionRefused : OfferKind.Refused,
                    null, offered, r, name);
            default:
                var f = r.Failure ?? new ProbeFailure(FailureKind.ProtocolError, "no answer");
                switch (f.Kind)
                {
                    case FailureKind.ConnectionClosed:
                        return new Offer(OfferKind.Refused, null, offered, r, "closed");
                    case FailureKind.Timeout:
                        return new Offer(OfferKind.Refused, null, offered, r, "no answer (timeout)");
                    case FailureKind.ProtocolError or FailureKind.LimitExceeded or FailureKind.TlsAlert or FailureKind.TlsHandshakeFailed or FailureKind.Internal:
                        return new Offer(OfferKind.Failed, null, offered, r, null);
                    default:
                        Fatal = f;
                        return new Offer(OfferKind.Failed, null, offered, r, null);
                }
        }
    }

    private static bool Answered(HandshakeResult r) => r.Outcome is HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest;

    /// <summary>Reset, silence or garbage, or an alert saying the hello could not be parsed.</summary>
    private static bool LooksIntolerant(HandshakeResult r) => r.Outcome switch
    {
        HandshakeOutcome.Failed => r.Failure?.Kind is FailureKind.ConnectionClosed or FailureKind.Timeout or FailureKind.ProtocolError,
        HandshakeOutcome.Alert => r.Alert!.Description is TlsAlertDescription.DecodeError or TlsAlertDescription.IllegalParameter
            or TlsAlertDescription.UnsupportedExtension or TlsAlertDescription.RecordOverflow,
        _ => false,
    };
}

/// <summary>The ClientHello shapes of an assessment, widest first.</summary>
public enum HelloShape
{
    /// <summary>The full hello, every candidate suite of the protocol in one offer.</summary>
    OneOffer,

    /// <summary>The full hello, at most <see cref="AssessmentOptions.MaxSuitesPerHello"/> suites per offer.</summary>
    Windowed,

    /// <summary>The compact hello: short lists, few extensions, no padding.</summary>
    Compact,
}
