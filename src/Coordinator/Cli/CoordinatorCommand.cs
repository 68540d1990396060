using System.CommandLine;
using System.Net;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// <c>xmppscan coordinator --store S [--listen ADDRESS:PORT] [--token T]</c>: serves the HTTP API over a census store
/// and the live dashboard until interrupted. Loopback by default; another address needs a bearer token (<c>--token</c> or XMPPSCAN_TOKEN).
/// </summary>
public static class CoordinatorCommand
{
    public const string DefaultListen = "127.0.0.1:8470";
    public const string TokenVariable = "XMPPSCAN_TOKEN";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = new Option<string>("--store") { Description = "sqlite:PATH (default ./xmppscan.db) or postgres://user@host:port/db", DefaultValueFactory = _ => "xmppscan.db" };
        var listen = new Option<string>("--listen") { Description = "ADDRESS:PORT to serve on (port 0: any free port)", DefaultValueFactory = _ => DefaultListen };
        var token = new Option<string?>("--token") { Description = $"Bearer token clients must send (default: ${TokenVariable}); required off loopback" };
        var command = new Command("coordinator", "Serve the coordinator HTTP API (census progress, nodes, pause/resume/cancel, rescan, statistics) and the live dashboard at /dashboard");
        command.Options.Add(store);
        command.Options.Add(listen);
        command.Options.Add(token);
        command.SetAction(async (parse, ct) =>
        {
            if (!IPEndPoint.TryParse(parse.GetValue(listen)!, out var endpoint))
            {
                await stderr.WriteLineAsync($"xmppscan coordinator: --listen {parse.GetValue(listen)}: not ADDRESS:PORT").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var opened = await CliStore.OpenAsync(parse.GetValue(store)!, create: false, ct).ConfigureAwait(false);

            await using (opened.ConfigureAwait(false))
            {
                CoordinatorServer server;
                var secret = parse.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable);
                try
                {
                    server = await CoordinatorServer.StartAsync(opened, endpoint, secret, ct: ct).ConfigureAwait(false);
                }
                catch (ArgumentException e)
                {
                    await stderr.WriteLineAsync($"xmppscan coordinator: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
                catch (IOException e)
                {
                    // Kestrel's "Failed to bind to address …: address already in use" (another coordinator, another program).
                    await stderr.WriteLineAsync($"xmppscan coordinator: --listen {endpoint}: cannot listen: "
                        + (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim() + " (choose another with --listen ADDRESS:PORT)").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                await using (server.ConfigureAwait(false))
                {
                    await stdout.WriteLineAsync($"coordinator listening on {server.Url}").ConfigureAwait(false);
                    await stdout.WriteLineAsync($"live dashboard: {server.Url}/dashboard{(string.IsNullOrEmpty(secret) ? "" : " (open it once with ?token=…)")}").ConfigureAwait(false);
                    await stdout.FlushAsync(ct).ConfigureAwait(false);
                    await server.WaitAsync(ct).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
