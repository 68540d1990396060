using System.CommandLine;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>xmppscan help [COMMAND…]</c>: the same text as <c>xmppscan COMMAND --help</c>, as people type it.</summary>
public static class HelpCommand
{
    public static Command Create(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        var words = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to explain, e.g. census stats" };
        var help = new Command("help", "Show the options of a command (xmppscan help census stats)");
        help.Arguments.Add(words);
        help.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(words) ?? [];
            Command command = root;
            foreach (var word in path)
            {
                var next = command.Subcommands.FirstOrDefault(c => c.Name == word && c.Name != "help");
                if (next is null)
                {
                    var near = UnknownOptions.Closest(word, command.Subcommands.Where(c => c.Name != "help").Select(c => c.Name).ToList());
                    await stderr.WriteLineAsync($"xmppscan help: unknown command '{Output.TerminalText.Safe(word)}'"
                        + (near is null ? "" : $" (did you mean '{near}'?)")).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                command = next;
            }

            return await root.Parse([.. path, "--help"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct)
                .ConfigureAwait(false);
        });
        return help;
    }
}
