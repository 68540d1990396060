using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// XMPP-specific security, rated beside the letter and never folded into it: STARTTLS required, direct TLS,
/// DANE, SASL PLAIN before TLS, s2s peer authentication.
/// </summary>
public static class XmppRatings
{
    public static IReadOnlyList<XmppRating> Rate(GradingInput input) =>
    [
        StartTlsRequired(input),
        DirectTls(input),
        Dane(input),
        PlainBeforeTls(input),
        S2sAuthentication(input),
    ];

    private static XmppRating StartTlsRequired(GradingInput input)
    {
        const string name = "starttls_required";
        if (input.Transport == TlsTransport.DirectTls)
            return new(name, RatingLevel.NotApplicable, "direct TLS endpoint: TLS from the first byte");
        return input.Xmpp?.PreTlsFeatures?.StartTls switch
        {
            StartTlsSupport.Required => new(name, RatingLevel.Good, $"{input.Mode.Name()} requires STARTTLS (RFC 6120 §5.3.1)"),
            StartTlsSupport.Offered => new(name, RatingLevel.Bad, $"STARTTLS optional on {input.Mode.Name()}: a client or server may stay in plaintext"),
            StartTlsSupport.NotOffered => new(name, RatingLevel.Bad, "STARTTLS not offered: no encryption"),
            _ => new(name, RatingLevel.NotTested, "no pre-TLS stream features seen"),
        };
    }

    private static XmppRating DirectTls(GradingInput input) => input.Transport == TlsTransport.DirectTls
        ? new("direct_tls", RatingLevel.Good, "direct TLS (XEP-0368) endpoint")
        : new("direct_tls", RatingLevel.NotApplicable, "STARTTLS endpoint (direct TLS is rated on _xmpps-* endpoints)");

    private static XmppRating Dane(GradingInput input)
    {
        const string name = "dane";
        return input.Dane?.Verdict.Result switch
        {
            null => new(name, RatingLevel.NotTested, "no TLSA lookup"),
            DaneResult.Match => new(name, RatingLevel.Good, "DNSSEC-secure TLSA records match the certificate"),
            DaneResult.Mismatch => new(name, RatingLevel.Bad, "secure TLSA records do not match the certificate"),
            DaneResult.NoRecords => new(name, RatingLevel.Warning, "no TLSA records"),
            DaneResult.UnusableRecords => new(name, RatingLevel.Warning, "TLSA records present but unusable"),
            DaneResult.NotSecure => new(name, RatingLevel.Warning,
                input.Dane.Verdict.MatchedRecords.Count > 0 ? "TLSA records would match but are not DNSSEC-secure" : "TLSA records not DNSSEC-secure (and would not match)"),
            _ => new(name, RatingLevel.NotTested, "unknown DANE result"),
        };
    }

    private static XmppRating PlainBeforeTls(GradingInput input)
    {
        const string name = "sasl_plain_before_tls";
        if (input.Transport == TlsTransport.DirectTls || input.Mode == XmppMode.S2S)
            return new(name, RatingLevel.NotApplicable, input.Mode == XmppMode.S2S ? "s2s: no password authentication" : "direct TLS");
        if (input.Xmpp?.PreTlsFeatures is not { } pre)
            return new(name, RatingLevel.NotTested, "no pre-TLS stream features seen");
        var plain = pre.SaslMechanisms.Where(m => m is "PLAIN" or "LOGIN").ToList();
        return plain.Count > 0
            ? new(name, RatingLevel.Bad, $"{string.Join(", ", plain)} offered before TLS: passwords can be sent in the clear")
            : new(name, RatingLevel.Good, pre.SaslMechanisms.Count > 0 ? "only non-plaintext mechanisms before TLS" : "no SASL mechanisms before TLS");
    }

    private static XmppRating S2sAuthentication(GradingInput input)
    {
        const string name = "s2s_authentication";
        if (input.Mode != XmppMode.S2S)
            return new(name, RatingLevel.NotApplicable, "c2s");
        if (input.Xmpp?.PeerCertificateRequired == true)
            return new(name, RatingLevel.Good, "the server requires a certificate from its peer (XEP-0178)");
        var dialback = input.Xmpp?.PostTlsFeatures?.Dialback == true || input.Xmpp?.PreTlsFeatures?.Dialback == true;
        return dialback
            ? new(name, RatingLevel.Warning, "dialback (XEP-0220) offered: peers can authenticate by DNS alone")
            : new(name, RatingLevel.NotTested, "peer authentication requirements not seen");
    }
}
