using System.Globalization;
using System.Text;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The grade block of the text report: the letter (and the grade ignoring trust), one bar per category score,
/// the caps with their reasons, what was not tested, and the XMPP ratings. Lines fit the width with the caller's
/// indent, wrapped, never cut (a rating's reason is the finding); colour (ANSI) only when asked for. Compact: the
/// letter and the caps only (endpoints).
/// </summary>
public static class GradeSection
{
    private const int BarCells = 10;

    /// <summary>The lines of one grade; <c>beside</c> is another policy's result for the same domain (the SSL Labs
    /// letter shown under the default policy's).</summary>
    public static IEnumerable<string> Lines(GradeResult grade, bool color, int indent = 2, bool compact = false, GradeResult? beside = null,
        int width = TerminalText.DefaultWidth)
    {
        width -= indent;
        yield return $"Grade     {Letter(grade, color)}   {grade.Score.ToString("0.#", CultureInfo.InvariantCulture)}/100   {grade.Policy} v{grade.PolicyVersion}";
        if (beside is not null)
        {
            yield return $"          {Letter(beside, color)}   under {beside.Policy} v{beside.PolicyVersion} (TLS only)";
        }

        if (!compact && grade.SetBy is { } setBy)
        {
            foreach (var line in TerminalText.Wrap("set by " + TerminalText.Safe(setBy, 200), width - 10))
            {
                yield return "          " + line;
            }
        }
        foreach (var c in compact ? [] : grade.Categories)
        {
            var head = $"  {Label(c.Category),-16}{Bar(c.Score, color)} {c.Score.ToString("0.#", CultureInfo.InvariantCulture),5}  ";
            foreach (var line in Hang(head, TerminalText.Safe(c.Basis, 400), BasisColumn, width))
            {
                yield return line;
            }
        }

        foreach (var cap in grade.Caps)
        {
            var head = $"  {Paint(cap.Cap.PadRight(2), LetterColor(cap.Cap), color)} ";
            var first = true;
            foreach (var line in TerminalText.Wrap(TerminalText.Safe(cap.Reason, 400), width - 6))
            {
                yield return (first ? head : "     ") + line;
                first = false;
            }
        }

        if (compact)
        {
            yield break;
        }

        if (grade.NotTested.Count > 0)
        {
            foreach (var line in TerminalText.Wrap("not tested: " + string.Join(", ", grade.NotTested), width - 2))
            {
                yield return "  " + line;
            }
        }

        foreach (var r in grade.XmppRatings.Where(r => r.Level != RatingLevel.NotApplicable))
        {
            var mark = r.Level switch
            {
                RatingLevel.Good => Paint("✓", "32", color),
                RatingLevel.Warning => Paint("!", "33", color),
                RatingLevel.Bad => Paint("✗", "31", color),
                _ => "?",
            };
            foreach (var line in Hang($"  {mark} {TerminalText.Safe(r.Name.Replace('_', ' '), 40),-22} ", TerminalText.Safe(r.Reason, 400), RatingColumn, width))
            {
                yield return line;
            }
        }
    }

    private static string Letter(GradeResult grade, bool color) =>
        Paint(grade.Grade, LetterColor(grade.Grade), color) + (grade.Grade != grade.GradeIgnoringTrust
            ? $" ({Paint(grade.GradeIgnoringTrust, LetterColor(grade.GradeIgnoringTrust), color)} if trust issues are ignored)"
            : string.Empty);

    public static string Bar(double score, bool color)
    {
        var full = (int)Math.Round(Math.Clamp(score, 0, 100) / 100 * BarCells);
        var bar = new StringBuilder().Append('█', full).Append('░', BarCells - full).ToString();
        return color ? Paint(bar, score >= 80 ? "32" : score >= 50 ? "33" : "31", true) : bar;
    }

    public static string Label(string category) => category switch
    {
        "protocol" => "Protocol",
        "key_exchange" => "Key exchange",
        "cipher_strength" => "Cipher strength",
        _ => category,
    };

    /// <summary>ANSI colour code for a letter: green A+ … A-, yellow B/C, red D … F, T and M.</summary>
    public static string LetterColor(string letter) => letter switch
    {
        "A+" or "A" or "A-" => "32;1",
        "B" or "C" => "33;1",
        _ => "31;1",
    };

    public static string Paint(string text, string code, bool color) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;

    private const int BasisColumn = 36;
    private const int RatingColumn = 27;

    /// <summary>The head, then the text wrapped to the width with continuation lines under its first word.</summary>
    private static IEnumerable<string> Hang(string head, string text, int column, int width)
    {
        var at = Math.Max(TerminalText.VisibleLength(head), column);
        var first = true;
        foreach (var line in TerminalText.Wrap(text, Math.Max(width - at, TerminalText.MinimumWidth / 2)))
        {
            yield return first ? head.PadRight(head.Length + at - TerminalText.VisibleLength(head)) + line : new string(' ', at) + line;
            first = false;
        }

        if (first)
        {
            yield return head.TrimEnd();
        }
    }
}
