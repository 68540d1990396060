namespace XmppScanCluster.ScanNode.Probes;

/// <summary>What a probe's facts say about the attack it checks.</summary>
public enum VerdictKind
{
    /// <summary>The facts show the weakness is absent.</summary>
    Safe,
    /// <summary>The facts show the weakness.</summary>
    Vulnerable,
    /// <summary>The probe ran but its answer decides nothing (failure, silence, an unusual alert).</summary>
    Inconclusive,
    /// <summary>The probe did not run (its precondition was missing, or it was turned off).</summary>
    NotTested,
    /// <summary>A behaviour worth showing that is neither safe nor vulnerable by itself (e.g. resumption).</summary>
    Notice,
}

/// <summary>A probe's one-line verdict: its kind and the deciding fact in words (unescaped server text may be in it).</summary>
public sealed record ProbeVerdict(VerdictKind Kind, string? Detail)
{
    public static ProbeVerdict Safe(string? detail = null) => new(VerdictKind.Safe, detail);

    public static ProbeVerdict Vulnerable(string detail) => new(VerdictKind.Vulnerable, detail);

    public static ProbeVerdict Inconclusive(string? detail) => new(VerdictKind.Inconclusive, detail);

    public static ProbeVerdict NotTested(string detail) => new(VerdictKind.NotTested, detail);

    public static ProbeVerdict Notice(string detail) => new(VerdictKind.Notice, detail);

    /// <summary>For grading: true vulnerable, false proven otherwise (safe or a notice), null not established.</summary>
    public bool? IsVulnerable => Kind switch
    {
        VerdictKind.Vulnerable => true,
        VerdictKind.Safe or VerdictKind.Notice => false,
        _ => null,
    };

    /// <summary>"safe (…)", "VULNERABLE (…)", "inconclusive (…)", "not tested (…)", or the notice itself.</summary>
    public string Text => Kind switch
    {
        VerdictKind.Safe => Words("safe"),
        VerdictKind.Vulnerable => Words("VULNERABLE"),
        VerdictKind.Inconclusive => Words("inconclusive"),
        VerdictKind.NotTested => Words("not tested"),
        _ => Detail ?? string.Empty,
    };

    private string Words(string word) => Detail is { Length: > 0 } d ? $"{word} ({d})" : word;
}
