using System.Text;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>Server-provided text is untrusted: bound its length and drop control characters before storing it.</summary>
internal static class ServerText
{
    /// <summary>Longest stream error text kept.</summary>
    public const int MaxErrorText = 512;

    /// <summary>Longest single name kept (mechanism, method, feature, attribute).</summary>
    public const int MaxName = 256;

    /// <summary>Most entries kept in one feature list.</summary>
    public const int MaxListEntries = 64;

    /// <summary>Returns <paramref name="text"/> without control characters (newlines become spaces), trimmed and
    /// cut to <paramref name="max"/> characters; null stays null.</summary>
    public static string Bound(string text, int max)
    {
        var sb = new StringBuilder(Math.Min(text.Length, max));
        foreach (char c in text)
        {
            if (sb.Length >= max) break;
            if (c is '\n' or '\r' or '\t') sb.Append(' ');
            else if (!char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u202E')) sb.Append(c);
        }
        return sb.ToString().Trim();
    }

    /// <summary>Like <see cref="Bound"/>, but null for null or empty results.</summary>
    public static string? BoundOrNull(string? text, int max)
    {
        if (text is null) return null;
        var s = Bound(text, max);
        return s.Length == 0 ? null : s;
    }
}
