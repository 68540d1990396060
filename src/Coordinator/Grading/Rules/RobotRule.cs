using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: ROBOT, a Bleichenbacher RSA padding oracle (SSL Labs: "vulnerable to ROBOT … Grade set to F", 2018).
/// Probe-only fact; without a static-RSA suite the attack does not exist, so the rule does not apply.</summary>
[JoinsPolicy(Policies.XmppScan, 2)]
[JoinsPolicy(Policies.SslLabs, 2)]
public sealed class RobotRule : IGradingRule
{
    public string Id => "robot";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(RobotCheck.Key) switch
    {
        true => new CapOutcome("F", "vulnerable to ROBOT: the server's answers reveal RSA padding validity (Bleichenbacher oracle)"),
        false => null,
        null when input.AllSuites.Any(s => s.Suite is { KeyExchange: KeyExchange.Rsa, IsExport: false }) => new NotTestedOutcome("ROBOT"),
        null => null,
    };
}
