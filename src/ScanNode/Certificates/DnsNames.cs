using System.Globalization;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Normalises and compares DNS names the way RFC 6125 §6.4 / RFC 9525 §6.3 ask: A-labels, case-insensitive,
/// no trailing dot; a wildcard only as the whole left-most label.
/// </summary>
internal static class DnsNames
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    /// <summary>A-label, lower-case form without a trailing dot; null when the name cannot be a DNS name.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim().TrimEnd('.');
        if (trimmed.Length == 0 || trimmed.Length > 253)
        {
            return null;
        }

        if (trimmed.All(char.IsAscii))
        {
            return trimmed.ToLowerInvariant();
        }

        try
        {
            return Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when the presented DNS-ID matches the reference. A wildcard is accepted only as the complete
    /// left-most label (<c>*.example.org</c>), matches exactly one non-empty label, and needs at least two labels
    /// after it, so it never matches the parent domain (<c>example.org</c>) nor covers a whole TLD (<c>*.org</c>).
    /// Partial-label wildcards (<c>x*.example.org</c>, <c>*x.example.org</c>) never match: RFC 9525 §6.3 drops them
    /// and RFC 6125 §6.4.3 only permits them as an option.
    /// </summary>
    public static bool Matches(string presented, string reference)
    {
        var p = Normalize(presented);
        var r = Normalize(reference);
        if (p is null || r is null)
        {
            return false;
        }

        if (!p.Contains('*'))
        {
            return p == r;
        }

        if (!p.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = p[2..];
        if (suffix.Contains('*') || !suffix.Contains('.'))
        {
            return false;
        }

        var firstDot = r.IndexOf('.', StringComparison.Ordinal);
        return firstDot > 0 && r[(firstDot + 1)..] == suffix;
    }
}
