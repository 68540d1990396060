using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Clients.Drivers;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Matrix;
using static XmppScanCluster.Coordinator.Output.TerminalText;

namespace XmppScanCluster.Coordinator.Clients;

/// <summary>
/// <c>xmppscan clients --out DIR</c>: runs every hostile-server scenario against every installed client driver and
/// mode and writes the matrix (text, JSON with its schema, HTML, a transcript per cell). The work happens in a
/// sandbox — a network namespace with only loopback, a private resolv.conf naming the harness DNS, and a trust store
/// holding only the harness CA — entered by re-running this command under <c>unshare</c> (deploy/clients/sandbox.sh).
/// </summary>
public static class ClientsCommand
{
    private const string SandboxVariable = "XMPPSCAN_CLIENTS_SANDBOX";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "Directory for matrix.txt/.json/.schema.json, index.html and transcripts/", Required = true, HelpName = "DIR" };
        var clients = new Option<string?>("--clients") { Description = "Comma-separated driver names (default: every installed one)" };
        var scenarios = new Option<string?>("--scenarios") { Description = "Comma-separated scenario ids (default: all)" };
        var modes = new Option<string>("--modes") { Description = "default, strict or both (comma-separated)", DefaultValueFactory = _ => "default,strict" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one client run may take", DefaultValueFactory = _ => 30 };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios run at once", DefaultValueFactory = _ => 2 };
        var list = new Option<bool>("--list") { Description = "List the scenarios and drivers (with installed versions) and exit" };
        var command = new Command("clients", "Run real XMPP clients against hostile servers on loopback and write the matrix");
        foreach (var option in new Option[] { output, clients, scenarios, modes, timeout, parallel, list })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var request = Validate(parse.GetValue(output)!, parse.GetValue(clients), parse.GetValue(scenarios), parse.GetValue(modes)!,
                    parse.GetValue(timeout), parse.GetValue(parallel));
                if (parse.GetValue(list))
                {
                    await ListAsync(request, stdout).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                return Environment.GetEnvironmentVariable(SandboxVariable) == "1"
                    ? await RunInsideAsync(request, stdout, stderr, ct).ConfigureAwait(false)
                    : await EnterSandboxAsync(request, stderr, ct).ConfigureAwait(false);
            }
            catch (UsageException e)
            {
                await stderr.WriteLineAsync($"xmppscan clients: {Safe(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private sealed record Request(string Out, string DriversDir, IReadOnlyList<(ClientDriver Driver, string Version)> Drivers,
        IReadOnlyList<Scenario> Scenarios, IReadOnlyList<string> Modes, int Timeout, int Parallel);

    private static Request Validate(string outDir, string? clients, string? scenarios, string modes, int timeout, int parallel)
    {
        var dir = ClientDriver.FindDirectory() ?? throw new UsageException("no deploy/clients/drivers.json found (run from the repository or set XMPPSCAN_CLIENT_DRIVERS)");
        var all = ClientDriver.Load(dir);
        var chosen = Split(clients);
        foreach (var name in chosen.Where(n => all.All(d => d.Name != n)))
        {
            throw new UsageException($"--clients: unknown driver '{name}' (known: {string.Join(", ", all.Select(d => d.Name))})");
        }

        var drivers = all.Where(d => chosen.Count == 0 || chosen.Contains(d.Name))
            .Select(d => (Driver: d, Version: ClientDriver.InstalledVersion(d.Package)))
            .Where(d => d.Version is not null || chosen.Count == 0)
            .Select(d => d.Version is null ? throw new UsageException($"--clients: {d.Driver.Name} needs the Debian package {d.Driver.Package}") : (d.Driver, d.Version))
            .ToList();
        var scenarioIds = Split(scenarios);
        foreach (var id in scenarioIds.Where(id => ScenarioCatalog.Find(id) is null))
        {
            throw new UsageException($"--scenarios: unknown scenario '{id}' (known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Id))})");
        }

        var modeList = Split(modes);
        if (modeList.Count == 0 || modeList.Any(m => !ClientDriver.Modes.Contains(m)))
        {
            throw new UsageException("--modes: default, strict or default,strict");
        }

        if (timeout is < 2 or > 600 || parallel is < 1 or > 32)
        {
            throw new UsageException("--timeout must be 2–600 seconds and --parallel 1–32");
        }

        return new Request(Path.GetFullPath(outDir), dir, drivers, scenarioIds.Count == 0 ? ScenarioCatalog.All : [.. scenarioIds.Select(id => ScenarioCatalog.Find(id)!)],
            modeList, timeout, parallel);
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    private static async Task ListAsync(Request request, TextWriter stdout)
    {
        foreach (var s in request.Scenarios)
        {
            await stdout.WriteLineAsync($"scenario {s.Id,-22} {s.Title}").ConfigureAwait(false);
        }

        foreach (var (driver, version) in request.Drivers)
        {
            await stdout.WriteLineAsync($"client   {driver.Name,-22} {driver.Package} {version}").ConfigureAwait(false);
        }
    }

    // Assembly.Location is read only under the dotnet host (a native build is its own ProcessPath); the Native AOT build
    // refuses `clients` anyway (NativeAotCommands).
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "Only read when the host is dotnet.")]
    private static async Task<int> EnterSandboxAsync(Request request, TextWriter stderr, CancellationToken ct)
    {
        if (request.Drivers.Count == 0)
        {
            throw new UsageException("no client driver is installed (deploy/install-deps.sh installs them)");
        }

        if (!File.Exists("/usr/bin/unshare") || Environment.UserName != "root")
        {
            throw new UsageException("needs root and unshare (util-linux): clients run in a network namespace of their own");
        }

        Directory.CreateDirectory(request.Out);
        var work = Directory.CreateTempSubdirectory("xmppscan-clients-").FullName;
        var info = new ProcessStartInfo("/usr/bin/unshare") { UseShellExecute = false };
        foreach (var arg in new[] { "--net", "--mount", "--fork", "--", "/bin/sh", Path.Combine(request.DriversDir, "sandbox.sh"), work })
        {
            info.ArgumentList.Add(arg);
        }

        var self = Environment.ProcessPath!;
        info.ArgumentList.Add(self);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ClientsCommand).Assembly.Location);
        }

        foreach (var arg in Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != "clients"))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["XMPPSCAN_CLIENT_DRIVERS"] = request.DriversDir;
        info.Environment["XMPPSCAN_CLIENTS_WORK"] = work;
        using var process = Process.Start(info) ?? throw new UsageException("cannot start unshare");
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        if (process.ExitCode != 0)
        {
            await stderr.WriteLineAsync($"xmppscan clients: the sandboxed run ended with exit code {process.ExitCode}").ConfigureAwait(false);
        }

        return process.ExitCode;
    }

    private static async Task<int> RunInsideAsync(Request request, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var work = Environment.GetEnvironmentVariable("XMPPSCAN_CLIENTS_WORK") ?? Directory.CreateTempSubdirectory("xmppscan-clients-").FullName;
        var net = Environment.GetEnvironmentVariable("XMPPSCAN_CLIENTS_NET") ?? "127.128";
        var harness = new ClientHarness(request.DriversDir, work, net, TimeProvider.System, TimeSpan.FromSeconds(request.Timeout), request.Parallel);
        var gate = new SemaphoreSlim(1, 1);
        ClientMatrix matrix;
        try
        {
            matrix = await harness.RunAsync(request.Scenarios, request.Drivers, request.Modes, async line =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await stdout.WriteLineAsync(Safe(line)).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException
                                      or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            // The harness could not be set up (an address in use, dnsmasq missing, …): one line, no stack trace.
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            await stderr.WriteLineAsync("xmppscan clients: " + Safe(e.Message)).ConfigureAwait(false);
            return ExitCodes.SomeTargetsFailed;
        }

        Directory.CreateDirectory(request.Out);
        var text = MatrixText.Render(matrix);
        await File.WriteAllTextAsync(Path.Combine(request.Out, "matrix.txt"), text, ct).ConfigureAwait(false);
        await MatrixJson.WriteAsync(matrix, request.Out, ct).ConfigureAwait(false);
        await MatrixHtml.WriteAsync(matrix, request.Out, ct).ConfigureAwait(false);
        await stdout.WriteAsync(text).ConfigureAwait(false);
        await stdout.WriteLineAsync($"open {new Uri(Path.Combine(request.Out, "index.html")).AbsoluteUri}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
