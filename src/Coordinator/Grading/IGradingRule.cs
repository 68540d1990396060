using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>What one rule says about one endpoint.</summary>
public abstract record RuleOutcome;

/// <summary>A category score (protocol, key exchange, cipher strength).</summary>
public sealed record ScoreOutcome(CategoryScore Score) : RuleOutcome;

/// <summary>A cap on the letter (F … A-, T, M) with its reason in words.</summary>
public sealed record CapOutcome(string Cap, string Reason) : RuleOutcome;

/// <summary>The rule needs a fact the scan did not collect: no cap, reported as not tested.</summary>
public sealed record NotTestedOutcome(string What) : RuleOutcome;

/// <summary>
/// One grading rule, one file: does it apply to these facts, and if so the score contribution or the cap with a
/// human reason. Rules never do I/O; their numbers come from the policy's <see cref="GradingThresholds"/>.
/// </summary>
public interface IGradingRule
{
    /// <summary>Stable snake_case id, recorded with every cap.</summary>
    string Id { get; }

    /// <summary>The outcome, or null when the rule does not apply.</summary>
    RuleOutcome? Evaluate(GradingInput input, GradingThresholds thresholds);
}
