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
/// or a decode-type alert) before any hello has worked, the same retry with the full hello cut to
/// <see cref="AssessmentOptions.MaxSuitesPerHello"/> suites (windows, merged afterwards), and when that fails too
/// the compact hello; the first shape that gets an answer is used for the rest of the assessment.
/// Stops everything after a connection-level failure (refused, STARTTLS rejected…): no point hammering.
/// </summary>
internal sealed class Negotiator(HandshakeProbe probe, string? serverName, AssessmentOptions options)
{
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _proven;
    private readonly Lock _controlLock = new();
    private (TlsVersion Version, ushort Suite)? _control;
    private Task<string?>? _confirmation;
    private bool _fallbackTried;

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

        var r = await probe.RunAsync(AssessmentHello.Build(version, suites, serverName, Compact, hello), cancellationToken).ConfigureAwait(false);
        if (Answered(r))
        {
            _proven = true;
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

        return offer.Kind == OfferKind.Refused && r.Outcome == HandshakeOutcome.Failed
            ? await ConfirmSilentRefusalAsync(offer, cancellationToken).ConfigureAwait(false)
            : offer;
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
            var rc = await probe.RunAsync(AssessmentHello.Build(version, shortSuites, serverName, compact, retryHello), cancellationToken)
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
    /// A close or silence is a refusal only when the server is seen answering a hello it accepted before (the
    /// control hello: the first accepted version and suite of this assessment) — then it closes on what it does not
    /// support (ejabberd 23.01/fast_tls closes on every handshake failure without an alert), and the one control
    /// decides for every later close. Otherwise the answer is inconclusive: a
    /// server that closes or stalls every later connection (rate limit, hostile, broken) must not read as one
    /// supporting nothing.
    /// </summary>
    private async Task<Offer> ConfirmSilentRefusalAsync(Offer offer, CancellationToken cancellationToken)
    {
        var what = offer.Handshake?.Failure?.Message ?? offer.Refusal ?? "no answer";
        return await ControlFailureAsync(cancellationToken).ConfigureAwait(false) is { } failed
            ? Inconclusive(offer, $"inconclusive: {what}; {failed}")
            : offer with { Refusal = offer.Refusal + ConfirmedSuffix };
    }

    /// <summary>What a refusal confirmed by the control hello carries after its own words.</summary>
    public const string ConfirmedSuffix = " (confirmed: a control hello was answered)";

    /// <summary>
    /// Whether a close or silence met by any hello of this assessment (a TLS version, SSLv2) may count as a refusal:
    /// null when the control hello (the first accepted version and suite) got its ServerHello, else why not — the
    /// control failed too, or nothing was accepted yet to control with. Sent at most once per assessment and shared.
    /// </summary>
    public Task<string?> ControlFailureAsync(CancellationToken cancellationToken)
    {
        lock (_controlLock)
        {
            if (_control is not { } control)
            {
                return Task.FromResult<string?>("no hello was accepted yet to tell a refusal from a failing server");
            }

            // One control per assessment, shared by concurrent lanes: the same hellos and connections either way.
            return _confirmation ??= ControlAsync(control, cancellationToken);
        }
    }

    /// <summary>Null when the control hello got its ServerHello, else what it got.</summary>
    private async Task<string?> ControlAsync((TlsVersion Version, ushort Suite) control, CancellationToken cancellationToken)
    {
        var c = await probe.RunAsync(AssessmentHello.Build(control.Version, [control.Suite], serverName, Compact, null), cancellationToken)
            .ConfigureAwait(false);
        return c.Outcome is HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest
            && c.NegotiatedVersion == (ushort)control.Version && c.CipherSuite == control.Suite
                ? null
                : $"the control hello ({control.Version.Name()}, {CipherSuiteRegistry.NameOf(control.Suite)}, accepted earlier) got no answer either "
                    + $"({c.Failure?.Message ?? c.Alert?.DescriptionName ?? "no ServerHello"})";
    }

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
