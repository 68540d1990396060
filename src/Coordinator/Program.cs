using System.Runtime.InteropServices;
using XmppScanCluster.Coordinator.Cli;

// Ctrl-C (SIGINT) and SIGTERM cancel the running command: it stops where it is, keeps what it already wrote, prints one
// "interrupted" line and exits 128 + the signal number as shells do (130, 143). Without the SIGTERM handler the runtime
// shut down under the scan and an OperationCanceledException escaped with its stack trace (exit 134). A second signal
// gets the runtime's default (terminate).
using var cancellation = new CancellationTokenSource();
var signalExit = 0;
void Interrupt(PosixSignalContext context, int exitCode)
{
    if (Interlocked.CompareExchange(ref signalExit, exitCode, 0) == 0)
    {
        context.Cancel = true;
        cancellation.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, ExitCodes.Interrupted));
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, ExitCodes.Terminated));

var exit = await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
var signalled = Volatile.Read(ref signalExit);
return exit == ExitCodes.Interrupted && signalled != 0 ? signalled : exit;
