using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading.Rules.Transport;

/// <summary>
/// xmppscan-2026: an advertised STARTTLS endpoint whose stream features offer no <c>&lt;starttls/&gt;</c>. Every
/// client or peer sent there by SRV talks in the clear (RFC 6120 §5.3.1: TLS is mandatory to implement; RFC 7590 §3).
/// </summary>
public sealed class StartTlsMissingRule : ITransportRule
{
    public string Id => "starttls_not_offered";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        t.Transport is { } caps && input.Transport == TlsTransport.StartTls && input.Xmpp?.PreTlsFeatures?.StartTls == StartTlsSupport.NotOffered
            ? new CapOutcome(caps.StartTlsMissing, $"{TransportText.Advertised(input)} offers no STARTTLS: the stream stays in the clear")
            : null;
}
