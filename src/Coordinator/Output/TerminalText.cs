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

    /// <summary>The width of the text report when there is no terminal (pipes, files): a stable layout.</summary>
    public const int DefaultWidth = 80;

    /// <summary>Narrower than this and the columns stop making sense.</summary>
    public const int MinimumWidth = 40;

    /// <summary>The columns of the terminal behind <paramref name="writer"/>, or <see cref="DefaultWidth"/> when it is
    /// redirected (a file, a pipe) or a test's writer.</summary>
    public static int WidthOf(TextWriter writer)
    {
        var terminal = (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
            || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
        try
        {
            return terminal && Console.WindowWidth >= MinimumWidth ? Console.WindowWidth : DefaultWidth;
        }
        catch (IOException)
        {
            return DefaultWidth;
        }
    }

    /// <summary>Columns the text takes on a terminal: runes, without ANSI escape sequences.</summary>
    public static int VisibleLength(string text) => StripAnsi(text).EnumerateRunes().Count();

    /// <summary>The text without ANSI CSI sequences (ESC [ … letter), as our own colouring writes them.</summary>
    public static string StripAnsi(string text)
    {
        if (!text.Contains('\u001b', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '[')
            {
                i += 2;
                while (i < text.Length && !char.IsAsciiLetter(text[i])) i++;
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

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

    /// <summary>Word-wraps already-safe text to <paramref name="width"/> columns; a longer word is broken over lines,
    /// never cut.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        width = Math.Max(width, 10);
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(w => Pieces(w, width)))
        {
            var w = word;
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

    private static IEnumerable<string> Pieces(string word, int width)
    {
        for (var i = 0; i < word.Length; i += width)
        {
            yield return word.Substring(i, Math.Min(width, word.Length - i));
        }
    }
}
