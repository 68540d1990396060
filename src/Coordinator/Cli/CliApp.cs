using System.CommandLine;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>The <c>xmppscan</c> command line: parses, reports usage errors with exit code 2, dispatches.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = new RootCommand("xmppscan — grades the TLS security of XMPP servers, from one domain up to a census.");
        root.Subcommands.Add(ScanCommand.Create(stdout, stderr));
        root.Subcommands.Add(CensusCommand.Create(stdout, stderr)); root.Subcommands.Add(NodeCommand.Create(stdout, stderr));
        root.Subcommands.Add(CoordinatorCommand.Create(stdout, stderr)); root.Subcommands.Add(CtlCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Clients.ClientsCommand.Create(stdout, stderr));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"xmppscan: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Try 'xmppscan --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("xmppscan: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }
}
