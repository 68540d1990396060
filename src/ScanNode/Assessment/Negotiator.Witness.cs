using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The witness hello: on a TLS 1.3-only server the widest TLS 1.2 hello meets a close before anything was answered, and
/// without more the negotiator cannot tell that refusal from intolerance of the hello, so it tries two narrower shapes
/// (two more closes). When the endpoint's own session negotiated TLS 1.3, one hello answers both questions instead: the
/// TLS 1.3 enumeration's first offer carrying all of the TLS 1.2 hello too (<see cref="AssessmentHello.Witness"/>).
/// </summary>
internal sealed partial class Negotiator
{
    /// <summary>
    /// The endpoint's own session negotiated TLS 1.3: a hint for which hello to send after a close, never a fact of the
    /// report. On (and with <see cref="Tls13FirstOffer"/>), a close of the widest TLS 1.2 hello before anything was
    /// answered is first put to the witness hello (<see cref="AssessmentHello.Witness"/>) instead of the narrower shapes.
    /// </summary>
    public bool SessionSawTls13 { get; init; }

    /// <summary>The TLS 1.3 enumeration's first offer (suites, options), told by the run: what the witness carries and
    /// answers for.</summary>
    public Func<(ImmutableArray<ushort> Suites, HelloOptions Hello)>? Tls13FirstOffer { get; set; }

    // The witness's answer, kept for the TLS 1.3 offer it answered for (taken once).
    private (ImmutableArray<ushort> Suites, HelloOptions Hello, HandshakeResult Answer)? _witnessed;

    /// <summary>
    /// After the widest TLS 1.2 hello met a close before anything was answered, on a server whose session showed TLS 1.3:
    /// the witness hello (the TLS 1.3 enumeration's first offer carrying all of the TLS 1.2 hello too). Answered, the
    /// shape is proven without the narrower shapes (a TLS 1.3-only server costs no fallback hellos) and its answer is
    /// kept for that TLS 1.3 offer; unanswered, the narrower shapes follow as without the hint.
    /// </summary>
    private async Task WitnessAsync(ImmutableArray<ushort> suites, HelloOptions? hello, CancellationToken cancellationToken)
    {
        if (!SessionSawTls13 || _fallbackTried || Tls13FirstOffer?.Invoke() is not { } first
            || AssessmentHello.Witness(AssessmentHello.Build(TlsVersion.Tls13, first.Suites, serverName, Compact, first.Hello),
                AssessmentHello.Build(TlsVersion.Tls12, suites, serverName, Compact, hello)) is not { } witness)
        {
            return;
        }

        var w = await RunAsync(witness, cancellationToken).ConfigureAwait(false);
        if (Answered(w) && w.NegotiatedVersion == (ushort)TlsVersion.Tls13)
        {
            _proven = true;
            // A pick outside the TLS 1.3 suites breaks RFC 8446 §4.1.3: the answer proves the shape but stands for no offer.
            if (w.CipherSuite is { } pick && first.Suites.Contains(pick))
            {
                lock (_controlLock)
                {
                    _witnessed = (first.Suites, first.Hello, w);
                }
            }
        }
    }

    /// <summary>The witness's answer when this is the TLS 1.3 offer it answered for (same suites and options), once.</summary>
    private HandshakeResult? TakeWitnessed(TlsVersion version, ImmutableArray<ushort> suites, HelloOptions? hello)
    {
        if (version != TlsVersion.Tls13)
        {
            return null;
        }

        lock (_controlLock)
        {
            if (_witnessed is not { } w || !w.Suites.SequenceEqual(suites) || !SameOptions(w.Hello, hello ?? HelloOptions.Default))
            {
                return null;
            }

            _witnessed = null;
            return w.Answer;
        }
    }

    private static bool SameOptions(HelloOptions a, HelloOptions b) =>
        Same(a.Groups, b.Groups) && Same(a.KeyShares, b.KeyShares) && Same(a.SignatureAlgorithms, b.SignatureAlgorithms);

    private static bool Same(IReadOnlyList<ushort>? a, IReadOnlyList<ushort>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}
