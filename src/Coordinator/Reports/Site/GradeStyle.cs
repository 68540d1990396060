namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The letters in the order the site shows and sorts them, best first, and their colours — one place for the
/// charts, the table, the badges and the comparison. T (trust) and M (name mismatch) come after F: a client that
/// checks certificates cannot connect at all, whatever the ciphers.
/// </summary>
public static class GradeStyle
{
    /// <summary>Every letter a policy gives, best first.</summary>
    public static IReadOnlyList<string> Letters { get; } = ["A+", "A", "A-", "B", "C", "D", "E", "F", "T", "M"];

    /// <summary>Sort rank (0 = best); a missing grade (not responding) ranks after every letter.</summary>
    public static int Rank(string? grade)
    {
        if (grade is null)
        {
            return Letters.Count;
        }

        for (var i = 0; i < Letters.Count; i++)
        {
            if (Letters[i] == grade)
            {
                return i;
            }
        }

        return Letters.Count;
    }

    /// <summary>Fill colour of a letter (the report page's green / amber / red / purple, lighter for A- and C).</summary>
    public static string Colour(string? grade) => grade switch
    {
        "A+" => "#1b5e20",
        "A" => "#2e7d32",
        "A-" => "#558b2f",
        "B" => "#f9a825",
        "C" => "#ef6c00",
        "D" or "E" => "#d84315",
        "F" => "#c62828",
        "T" or "M" => "#6a1b9a",
        _ => "#9e9e9e",
    };

    /// <summary>The same hue, paler: the second series (grade if trust were ignored) beside the first.</summary>
    public static string PaleColour(string? grade) => grade switch
    {
        "A+" or "A" or "A-" => "#a5d6a7",
        "B" => "#fff59d",
        "C" => "#ffcc80",
        "D" or "E" or "F" => "#ef9a9a",
        "T" or "M" => "#ce93d8",
        _ => "#e0e0e0",
    };

    /// <summary>A CSS class for a letter, safe as a class name ("A+" → "gAP", "A-" → "gAM", none → "gN").</summary>
    public static string CssClass(string? grade) => grade is null ? "gN" : "g" + grade.Replace('+', 'P').Replace('-', 'M');
}
