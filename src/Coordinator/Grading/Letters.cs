namespace XmppScanCluster.Coordinator.Grading;

/// <summary>Letter arithmetic: A+ is best, F worst; T and M are overlays for trust, never compared as letters.</summary>
public static class Letters
{
    public const string Untrusted = "T";
    public const string Mismatch = "M";

    private static readonly string[] Order = ["A+", "A", "A-", "B", "C", "D", "E", "F"];

    public static int Rank(string letter)
    {
        var i = Array.IndexOf(Order, letter);
        return i < 0 ? Order.Length : i;
    }

    /// <summary>The worse of two letters.</summary>
    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    /// <summary>Applies a cap: the letter can only go down to it (A- lowers only A+ and A).</summary>
    public static string Cap(string letter, string cap) => Worst(letter, cap);

    public static bool IsTrustOverlay(string cap) => cap is Untrusted or Mismatch;

    /// <summary>Severity for sorting caps: T, M, then F … A-, A+ last.</summary>
    public static int Severity(string cap) => cap switch
    {
        Untrusted => -2,
        Mismatch => -1,
        _ => Order.Length - Rank(cap),
    };
}
