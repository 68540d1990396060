using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Grading.Rules.Transport;

/// <summary>
/// xmppscan-2026, c2s: a SASL mechanism that sends the secret itself (PLAIN, LOGIN, bearer tokens) offered before
/// TLS. A client that logs in there hands its password to anyone who can read the wire, not only to an active
/// attacker (RFC 6120 §13.8: PLAIN only over TLS; RFC 4616 §4; RFC 7590 §3.1).
/// </summary>
public sealed class CleartextAuthBeforeTlsRule : ITransportRule
{
    public string Id => "cleartext_auth_before_tls";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (t.Transport is not { } caps || input.Mode != XmppMode.C2S || input.Transport != TlsTransport.StartTls
            || input.Xmpp?.PreTlsFeatures is not { } pre) return null;
        var cleartext = pre.SaslMechanisms.Where(m => caps.CleartextMechanisms.Contains(m.ToUpperInvariant())).ToList();
        return cleartext.Count > 0
            ? new CapOutcome(caps.CleartextAuthBeforeTls,
                $"{string.Join(", ", cleartext.Take(4))} offered before TLS: a password can be read by anyone on the path")
            : null;
    }
}
