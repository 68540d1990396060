using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: the server does not send an intermediate it needs (SSL Labs guide 2009l "incomplete chain → B").
/// XMPP clients rarely fetch AIA, so this breaks real connections.</summary>
public sealed class IncompleteChainRule : IGradingRule
{
    public string Id => "incomplete_chain";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Trust?.Issues.FirstOrDefault(i => i.Problem == TrustProblem.IncompleteChain) is { } issue
            ? new CapOutcome("B", "incomplete chain: " + issue.Message)
            : null;
}
