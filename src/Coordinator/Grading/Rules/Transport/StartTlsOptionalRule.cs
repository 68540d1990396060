using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading.Rules.Transport;

/// <summary>
/// xmppscan-2026: STARTTLS offered without <c>&lt;required/&gt;</c> (c2s or s2s). An on-path attacker removes the
/// feature and the stream continues in the clear with any client or peer that does not insist on TLS (RFC 6120
/// §5.3.1 and §13.8; RFC 7590 §3.1; the 2014 XMPP operators' manifesto made required encryption the norm).
/// </summary>
public sealed class StartTlsOptionalRule : ITransportRule
{
    public string Id => "starttls_optional";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (t.Transport is not { } caps || input.Transport != TlsTransport.StartTls) return null;
        return input.Xmpp?.PreTlsFeatures?.StartTls switch
        {
            null => new NotTestedOutcome("STARTTLS required"),
            StartTlsSupport.Offered => new CapOutcome(caps.StartTlsOptional,
                $"STARTTLS offered but not required on {input.Mode.Name()}: an attacker on the path can strip it and keep the stream in the clear"),
            _ => null,
        };
    }
}
