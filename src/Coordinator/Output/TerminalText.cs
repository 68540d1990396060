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
}
