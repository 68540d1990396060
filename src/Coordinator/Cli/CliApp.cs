using System.CommandLine;
using System.Data.Common;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>The <c>xmppscan</c> command line: parses, reports usage errors with exit code 2, dispatches.</summary>
public static class CliApp
{
    /// <summary>Every command, wired to these writers (tests parse the README's commands with it).</summary>
    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("xmppscan — grades the TLS security of XMPP servers, from one domain up to a census.");
        root.Subcommands.Add(ScanCommand.Create(stdout, stderr));
        root.Subcommands.Add(CensusCommand.Create(stdout, stderr)); root.Subcommands.Add(NodeCommand.Create(stdout, stderr));
        root.Subcommands.Add(CoordinatorCommand.Create(stdout, stderr)); root.Subcommands.Add(CtlCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Clients.ClientsCommand.Create(stdout, stderr));
        root.Subcommands.Add(HelpCommand.Create(root, stdout, stderr));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = BuildRoot(stdout, stderr).Parse(args);
        // Unknown options first: otherwise a mistyped option is reported as whatever positional value it landed in.
        var unknown = UnknownOptions.Describe(parsed);
        if (unknown.Count > 0 || parsed.Errors.Count > 0)
        {
            foreach (var line in unknown.Count > 0 ? unknown : parsed.Errors.Select(e => e.Message))
            {
                // System.CommandLine lists the accepted values of an option one per line, indented: one line here, each
                // value after a space (TerminalText would otherwise show the newlines and tabs as \u000a and \u0009).
                var oneLine = string.Join(' ', line.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                await stderr.WriteLineAsync($"xmppscan: {Output.TerminalText.Safe(oneLine, 400)}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Try 'xmppscan help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var name = UnknownOptions.CommandPath(parsed.CommandResult);
        if (NativeAotCommands.Refusal(name) is { } refusal)
        {
            await stderr.WriteLineAsync($"{name}: {refusal}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            // ProcessTerminationTimeout = null: System.CommandLine's own SIGINT/SIGTERM handling would cancel a token of its
            // own, which the catch below does not recognise (an OperationCanceledException with its stack trace, exit 134);
            // Program.cs turns both signals into the caller's token.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("xmppscan: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (UsageException e)
        {
            // Any command may throw it, at any depth: one line, exit code 2, never a stack trace.
            await stderr.WriteLineAsync($"{name}: {Output.TerminalText.Safe(e.Message, 400)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (DbException e)
        {
            // The store went away after it was opened (PostgreSQL stopped, disk full): one line; the work is not done (1).
            await stderr.WriteLineAsync($"{name}: store error: {Output.TerminalText.Safe(e.Message, 400)}").ConfigureAwait(false);
            return ExitCodes.SomeTargetsFailed;
        }
    }
}
