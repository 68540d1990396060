using System.Text;
using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>
/// The READMEs' commands match the program: every <c>xmppscan</c> command in a shell block of any README parses
/// (no unknown option or command), and the blocks that need no network run for real in a temporary folder.
/// (<c>bash deploy/run.sh</c>, the quick start, runs in <see cref="Integration.MainJobTests"/>.)
/// </summary>
public sealed partial class ReadmeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex("```sh\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex("^(?:xmppscan|dotnet run --project src/Coordinator -c Release --|dotnet \"\\$XMPPSCAN_DLL\") (.*)$")]
    private static partial Regex XmppscanCommand();

    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        // A README may show the same command twice; one row each, or xunit skips the repeat with a warning.
        var seen = new HashSet<(string, string)>();
        var readmes = new[] { "README.md" }.Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "README.md", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "deploy"), "README.md", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f)));
        foreach (var readme in readmes)
        {
            foreach (Match block in ShellBlock().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, readme))))
            {
                foreach (var line in block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
                {
                    var command = XmppscanCommand().Match(StripComment(line).Trim().TrimEnd('&').Trim());
                    if (command.Success && seen.Add((readme, command.Groups[1].Value)))
                    {
                        data.Add(readme, command.Groups[1].Value);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void ReadmeCommand_parses(string readme, string command)
    {
        // Synopsis lines ("[--token T]", "list | show NAME") are read as their first alternative with every option.
        var synopsis = command.Split(" | ")[0].Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);
        var parsed = CliApp.BuildRoot(TextWriter.Null, TextWriter.Null).Parse(Words(synopsis));
        Assert.True(UnknownOptions.Describe(parsed).Count == 0 && parsed.Errors.Count == 0,
            $"{readme}: xmppscan {command}: {string.Join("; ", UnknownOptions.Describe(parsed).Concat(parsed.Errors.Select(e => e.Message)))}");
    }

    [Fact]
    public void Commands_areFound()
    {
        Assert.Contains(Commands(), row => (string)row[1] == "report --out site/");
        Assert.True(Commands().Count >= 10);
    }

    [Fact]
    public void CensusSiteBlock_firstCommand_writesTheSiteOfTheLatestCensusInTheCurrentFolder()
    {
        // The README line as written, in a folder whose ./xmppscan.db holds a census (planned offline: no targets).
        var line = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md")).First(l => l.StartsWith("xmppscan report --out site/", StringComparison.Ordinal));
        var dll = Path.Combine(RepoPaths.Root, "src", "Coordinator", "bin", "Release", "net10.0", "xmppscan.dll");
        var script = Path.Combine(_dir, "readme.sh");
        File.WriteAllText(script, $"""
            set -e
            cd '{_dir}'
            xmppscan() {"{"} dotnet '{dll}' "$@"; {"}"}
            echo '# none' > domains.txt
            xmppscan census --targets domains.txt --no-node
            {line}
            """);
        var result = ScriptRunner.Run(script, timeout: TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "site", "index.html")), result.Output);
        Assert.Contains("open file://", result.Output, StringComparison.Ordinal);
    }

    private static string StripComment(string line)
    {
        var quoted = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            if (quoted != '\0')
            {
                if (line[i] == quoted) quoted = '\0';
            }
            else if (line[i] is '"' or '\'')
            {
                quoted = line[i];
            }
            else if (line[i] == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    /// <summary>Shell words: quotes removed, variables left as their text (they stand for values).</summary>
    private static string[] Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = '\0';
        var any = false;
        foreach (var c in command)
        {
            if (quoted != '\0')
            {
                if (c == quoted) quoted = '\0';
                else word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quoted = c;
                any = true;
            }
            else if (c == ' ')
            {
                if (word.Length > 0 || any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0 || any) words.Add(word.ToString());
        return [.. words];
    }
}
