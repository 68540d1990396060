using System.Text;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// Makes untrusted text (anything a server sent: certificate fields, stream error text, feature names)
/// safe for a terminal: control characters — including ESC, which would start an ANSI sequence that can
/// rewrite the screen — become visible escapes, and the length is bounded.
/// </summary>
public static class TerminalText
{
    public const int DefaultMaxLength = 200;

    public static string Safe(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            if (Rune.IsControl(rune) || rune.Value is 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
            {
                // Bidi overrides can disguise a name as another (CVE-2021-42574 "Trojan Source").
                builder.Append($"\\u{rune.Value:x4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>Word-wraps already-safe text to <paramref name="width"/> columns (a longer word is cut).</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        width = Math.Max(width, 10);
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word.Length > width ? word[..(width - 1)] + "…" : word;
            if (line.Length > 0 && line.Length + 1 + w.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            if (line.Length > 0) line.Append(' ');
            line.Append(w);
        }

        if (line.Length > 0) yield return line.ToString();
    }
}
