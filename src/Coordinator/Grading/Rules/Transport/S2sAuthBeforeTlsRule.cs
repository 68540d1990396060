using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading.Rules.Transport;

/// <summary>
/// xmppscan-2026, s2s: the server authenticates peers neither by certificate (XEP-0178) nor by dialback over TLS
/// (XEP-0220 with TLS, XEP-0344): it offers dialback before TLS and does not require TLS, so a peer's identity can
/// be verified in the clear, where an attacker on the path or in DNS can answer for any domain.
/// </summary>
public sealed class S2sAuthBeforeTlsRule : ITransportRule
{
    public string Id => "s2s_auth_before_tls";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        t.Transport is { } caps && input.Mode == XmppMode.S2S && input.Transport == TlsTransport.StartTls
        && input.Xmpp is { PeerCertificateRequired: not true, PreTlsFeatures: { Dialback: true, StartTls: not StartTlsSupport.Required } }
            ? new CapOutcome(caps.S2sAuthBeforeTls,
                "dialback offered before TLS and TLS not required: peers can be authenticated in the clear, spoofable on the path")
            : null;
}
