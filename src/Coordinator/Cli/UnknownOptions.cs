using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// Finds what the user typed as an option but the command does not know — also when the parser took it as a
/// positional value (<c>scan --bogus example.org</c> would otherwise be reported as an invalid domain) — and the
/// closest option or command name to suggest.
/// </summary>
public static class UnknownOptions
{
    /// <summary>One line per stray token: "unknown option '--polcy' (did you mean '--policy'?)".</summary>
    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var known = KnownOptionNames(parsed.CommandResult).ToList();
        var lines = new List<string>();
        foreach (var token in StrayTokens(parsed).Distinct(StringComparer.Ordinal))
        {
            if (LooksLikeOption(token))
            {
                var name = token.Split('=', 2)[0];
                var near = Closest(name, known);
                var path = CommandPath(parsed.CommandResult);
                if (near == name)
                {
                    // Known to the command but typed before its name: "xmppscan --store x report".
                    lines.Add($"option '{name}' belongs after the command: {path} {name} …");
                    continue;
                }

                lines.Add($"unknown option '{name}' for '{path}'"
                    + (near is null ? $" (see '{path.Replace("xmppscan", "xmppscan help", StringComparison.Ordinal)}')" : $" (did you mean '{near}'?)"));
            }
            else if (command.Subcommands.Count > 0 && lines.Count == 0 && parsed.UnmatchedTokens.Contains(token))
            {
                // Only the first: what follows a mistyped command is its arguments.
                var near = Closest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList());
                lines.Add($"unknown command '{token}'" + (near is null ? "" : $" (did you mean '{near}'?)"));
                break;
            }
        }

        return lines;
    }

    /// <summary>The unmatched tokens, plus option-looking tokens the parser bound to the command's positional arguments.</summary>
    private static IEnumerable<string> StrayTokens(ParseResult parsed)
    {
        foreach (var token in parsed.UnmatchedTokens)
        {
            yield return token;
        }

        foreach (var argument in parsed.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens.Where(t => LooksLikeOption(t.Value)))
            {
                yield return token.Value;
            }
        }
    }

    /// <summary>"-x", "--name": not "-" (standard output) nor a negative number.</summary>
    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static IEnumerable<string> KnownOptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
        {
            foreach (var option in c.Command.Options.Where(o => !o.Hidden && (ReferenceEquals(c, result) || o.Recursive)))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
                {
                    yield return alias;
                }
            }
        }
    }

    /// <summary>"xmppscan census stats".</summary>
    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
        {
            names.Insert(0, c.Parent is null ? "xmppscan" : c.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>The candidate with the smallest edit distance, if it is close (a third of the word), or the only one
    /// the word is a prefix of.</summary>
    public static string? Closest(string word, IReadOnlyList<string> candidates)
    {
        var prefixed = candidates.Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        if (prefixed.Count == 1)
        {
            return prefixed[0];
        }

        var best = candidates.Select(c => (Name: c, Distance: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, word.TrimStart('-').Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance (two rows).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
