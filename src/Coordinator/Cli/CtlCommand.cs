using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using XmppScanCluster.Coordinator.Api;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// <c>xmppscan ctl [--coordinator URL] [--token T] [--json] status | nodes | census list|show|pause|resume|cancel NAME |
/// rescan NAME DOMAIN</c>: the operator's command line over the coordinator HTTP API. Everything the server sends is
/// untrusted: text output goes through <see cref="Output.TerminalText.Safe"/>, <c>--json</c> is re-serialised (control
/// characters escaped). Exit codes: 0 done, 1 the coordinator refused or failed, 2 usage, 3 coordinator unreachable.
/// </summary>
public static class CtlCommand
{
    public const int Refused = 1;
    public const int Unreachable = 3;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator base URL", DefaultValueFactory = _ => "http://" + CoordinatorCommand.DefaultListen, Recursive = true };
        var token = new Option<string?>("--token") { Description = $"Bearer token (default: ${CoordinatorCommand.TokenVariable})", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Write the coordinator's JSON", Recursive = true };
        var ctl = new Command("ctl", "Operate a running coordinator over its HTTP API");
        ctl.Options.Add(coordinator);
        ctl.Options.Add(token);
        ctl.Options.Add(json);

        Command Leaf(string name, string description, HttpMethod method, Func<ParseResult, string> path, Func<ParseResult, string?>? body,
            Func<string, string> render, params Argument[] arguments)
        {
            var command = new Command(name, description);
            foreach (var argument in arguments) command.Arguments.Add(argument);
            command.SetAction((parse, ct) => CallAsync(parse.GetValue(coordinator)!, parse.GetValue(token), parse.GetValue(json), method,
                path(parse), body?.Invoke(parse), render, stdout, stderr, ct));
            return command;
        }

        var nameArg = new Argument<string>("NAME") { Description = "Census name" };
        string CensusPath(ParseResult p, string suffix = "") => "/api/censuses/" + Uri.EscapeDataString(p.GetValue(nameArg)!) + suffix;

        ctl.Subcommands.Add(Leaf("status", "Censuses, nodes and leases at a glance", HttpMethod.Get, _ => "/api/status", null, CtlText.Status));
        ctl.Subcommands.Add(Leaf("nodes", "Scan nodes and the shards they lease", HttpMethod.Get, _ => "/api/nodes", null, CtlText.Nodes));
        var census = new Command("census", "List, show, pause, resume or cancel censuses");
        census.Subcommands.Add(Leaf("list", "Every census with its state and counts", HttpMethod.Get, _ => "/api/censuses", null, CtlText.CensusList));
        census.Subcommands.Add(Leaf("show", "A census's progress per region and ETA", HttpMethod.Get, p => CensusPath(p), null, CtlText.CensusShow, nameArg));
        foreach (var verb in new[] { "pause", "resume", "cancel" })
        {
            census.Subcommands.Add(Leaf(verb, $"{char.ToUpperInvariant(verb[0])}{verb[1..]} a census", HttpMethod.Post, p => CensusPath(p, "/" + verb), null, CtlText.State, nameArg));
        }

        ctl.Subcommands.Add(census);
        var domainArg = new Argument<string>("DOMAIN") { Description = "Target domain to scan again" };
        ctl.Subcommands.Add(Leaf("rescan", "Re-queue a target of a census (a new scan generation)", HttpMethod.Post, p => CensusPath(p, "/rescan"),
            p => JsonSerializer.Serialize(new RescanRequest(p.GetValue(domainArg)!), ApiJsonContext.Default.RescanRequest), CtlText.Rescan, nameArg, domainArg));
        return ctl;
    }

    private static async Task<int> CallAsync(string baseUrl, string? token, bool json, HttpMethod method, string path, string? body,
        Func<string, string> render, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
        {
            await stderr.WriteLineAsync($"xmppscan ctl: --coordinator {Output.TerminalText.Safe(baseUrl)}: not an http(s) URL").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = 16 * 1024 * 1024 };
        using var request = new HttpRequestMessage(method, new Uri(root, path));
        token ??= Environment.GetEnvironmentVariable(CoordinatorCommand.TokenVariable);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"xmppscan ctl: {Output.TerminalText.Safe(root.ToString())}: {Output.TerminalText.Safe(e.Message)}").ConfigureAwait(false);
            return Unreachable;
        }

        using (response)
        {
            try
            {
                if (json)
                {
                    await stdout.WriteLineAsync(CtlText.Reformat(text)).ConfigureAwait(false);
                }
                else if (response.IsSuccessStatusCode)
                {
                    await stdout.WriteAsync(render(text)).ConfigureAwait(false);
                }
            }
            catch (JsonException)
            {
                await stderr.WriteLineAsync($"xmppscan ctl: the coordinator answered {(int)response.StatusCode} with no valid JSON").ConfigureAwait(false);
                return Refused;
            }

            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                await stderr.WriteLineAsync(string.IsNullOrEmpty(token)
                    ? $"xmppscan ctl: the coordinator wants a token: pass --token T or set ${CoordinatorCommand.TokenVariable}"
                    : "xmppscan ctl: the coordinator refused the token (401)").ConfigureAwait(false);
                return Refused;
            }

            if (!response.IsSuccessStatusCode)
            {
                await stderr.WriteLineAsync($"xmppscan ctl: {(int)response.StatusCode}: {Output.TerminalText.Safe(CtlText.Error(text))}").ConfigureAwait(false);
                return Refused;
            }

            return ExitCodes.Success;
        }
    }
}
