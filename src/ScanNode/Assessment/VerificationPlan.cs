using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Which of a full assessment's hellos another endpoint must answer alike before it may share the assessment
/// (issue 14). Chosen so that the usual ways two ports of one server differ show in a few connections:
/// <list type="bullet">
/// <item>every supported version's first offer (every candidate suite): the top suite, so the order whose it is
/// (the first offer goes least-likely-first: a client-order server picks another suite) and the key exchange group
/// (TLS 1.3: the HelloRetryRequest's group, the first offer has no key share);</item>
/// <item>at the highest version ≤ TLS 1.2 and at the lowest supported version: the enumeration's last accepted
/// offer (the least preferred suite: the DHE suites a Prosody direct-TLS port without its own dhparam lacks sit
/// there) and its final refusal (every candidate not accepted: any extra suite answers it);</item>
/// <item>the protocol range: the first offer of the version just above the highest supported and just below the
/// lowest (their refusals).</item>
/// </list>
/// A suite set differing only inside the server's order, SSLv2, or curves beyond the first pick are not covered:
/// the risk stated in the report's words "verified by N hellos". Hellos whose answer has no words (a timeout) are
/// left out; fewer than two usable hellos and the assessment is not shared at all.
/// </summary>
internal static class VerificationPlan
{
    private static readonly TlsVersion[] HighToLow = [TlsVersion.Tls13, TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3];

    public static ImmutableArray<RecordedHello> Choose(AssessmentRun run)
    {
        var supported = HighToLow.Where(v => run.Versions.TryGetValue(v, out var r) && !r.Result.Accepted.IsEmpty).ToList();
        if (supported.Count == 0)
        {
            return [];
        }

        var plan = ImmutableArray.CreateBuilder<RecordedHello>();
        void Add(TlsVersion version, string what, SentOffer? offer)
        {
            if (offer?.Answer.Handshake is { } h && HelloAnswer.Describe(h) is { } answer
                && !plan.Any(p => p.Version == version && p.Suites.SequenceEqual(offer.Suites)))
            {
                plan.Add(new RecordedHello($"{version.Name()} {what}", version, offer.Suites, offer.Hello, offer.Compact, answer));
            }
        }

        var highest = supported[0];
        var lowest = supported[^1];
        Add(Above(highest), "refused", FirstOffer(run, Above(highest)));
        var detailed = new[] { supported.FirstOrDefault(v => v <= TlsVersion.Tls12), lowest }.Where(v => v != default).Distinct().ToList();
        foreach (var version in supported)
        {
            var offers = Offers(run, version);
            Add(version, "first offer", offers.FirstOrDefault(o => o.Answer.Kind == OfferKind.Accepted));
            if (detailed.Contains(version))
            {
                var enumeration = offers.Where(o => o.Enumeration).ToList();
                Add(version, "last accepted suite", enumeration.LastOrDefault(o => o.Answer.Kind == OfferKind.Accepted));
                Add(version, "unaccepted suites", enumeration.LastOrDefault() is { Answer.Kind: OfferKind.Refused } last ? last : null);
            }
        }

        Add(Below(lowest), "refused", FirstOffer(run, Below(lowest)));
        return plan.Count >= 2 ? plan.ToImmutable() : [];
    }

    private static List<SentOffer> Offers(AssessmentRun run, TlsVersion version) =>
        run.Sent.TryGetValue(version, out var offers) ? offers : [];

    /// <summary>A refused version's one offer (nothing accepted there).</summary>
    private static SentOffer? FirstOffer(AssessmentRun run, TlsVersion version) =>
        version != default && run.Versions.TryGetValue(version, out var r) && r.Result.Accepted.IsEmpty
            ? Offers(run, version).FirstOrDefault()
            : null;

    private static TlsVersion Above(TlsVersion v) => v switch
    {
        TlsVersion.Ssl3 => TlsVersion.Tls10,
        TlsVersion.Tls10 => TlsVersion.Tls11,
        TlsVersion.Tls11 => TlsVersion.Tls12,
        TlsVersion.Tls12 => TlsVersion.Tls13,
        _ => default,
    };

    private static TlsVersion Below(TlsVersion v) => v switch
    {
        TlsVersion.Tls13 => TlsVersion.Tls12,
        TlsVersion.Tls12 => TlsVersion.Tls11,
        TlsVersion.Tls11 => TlsVersion.Tls10,
        TlsVersion.Tls10 => TlsVersion.Ssl3,
        _ => default,
    };
}
