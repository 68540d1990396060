using System.Text;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Makes text taken from a hostile certificate safe to store and print: control characters and bidi
/// overrides become U+FFFD, and the length is bounded.
/// </summary>
internal static class TextSanitizer
{
    /// <summary>Longest string kept from any certificate field (DNs, URLs, names).</summary>
    public const int MaxLength = 1024;

    public static string Clean(string? value, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var needs = value.Length > maxLength;
        foreach (var c in value)
        {
            if (IsUnsafe(c))
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return value;
        }

        var length = Math.Min(value.Length, maxLength);
        var sb = new StringBuilder(length + 1);
        for (var i = 0; i < length; i++)
        {
            sb.Append(IsUnsafe(value[i]) ? '\uFFFD' : value[i]);
        }

        if (value.Length > maxLength)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }

    // Bidi embedding/override/isolate controls can make a printed name read differently (CVE-2021-42574 style).
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';
}
