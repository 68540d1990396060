using XmppScanCluster.Coordinator.Cli;

// Ctrl-C cancels the running command gracefully; a second Ctrl-C is the runtime's default (terminate).
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
