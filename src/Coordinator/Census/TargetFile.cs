using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>A line of the targets file that was not used, and why.</summary>
public sealed record TargetLineProblem(int Line, string Text, string Reason);

/// <summary>The domains of a targets file (A-label form, first occurrence order) and what was skipped.</summary>
public sealed record TargetList(IReadOnlyList<string> Domains, IReadOnlyList<TargetLineProblem> Invalid,
    IReadOnlyList<TargetLineProblem> Duplicates);

/// <summary>
/// Reads <c>--targets FILE</c>: one domain per line; <c>#</c> starts a comment; blank lines ignored; Unicode
/// names become A-labels (IDNA, UTS #46); invalid lines and duplicates (after normalisation) are reported,
/// never fatal.
/// </summary>
public static class TargetFile
{
    public static TargetList Parse(IEnumerable<string> lines)
    {
        var domains = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var invalid = new List<TargetLineProblem>();
        var duplicates = new List<TargetLineProblem>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var text = raw.Split('#', 2)[0].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!DomainName.TryNormalize(text, out var name, out var error))
            {
                invalid.Add(new TargetLineProblem(number, TerminalText.Safe(text, 100), error ?? "not a domain name"));
            }
            else if (seen.TryGetValue(name, out var first))
            {
                duplicates.Add(new TargetLineProblem(number, TerminalText.Safe(text, 100), $"{name} already on line {first}"));
            }
            else
            {
                seen[name] = number;
                domains.Add(name);
            }
        }

        return new TargetList(domains, invalid, duplicates);
    }
}
