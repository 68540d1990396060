using System.CommandLine;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Coordinator.Reports;
using XmppScanCluster.Coordinator.Scanning;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>xmppscan scan DOMAIN…</c>: one interactive scan, text for people, <c>--json</c> for machines.</summary>
public static class ScanCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var domains = new Argument<string[]>("domain")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "XMPP service domains to scan (the part after @ in a JID), e.g. example.org",
        };
        var mode = new Option<string>("--mode")
        {
            Description = "Which service to scan: c2s (clients), s2s (servers) or both",
            DefaultValueFactory = _ => "c2s",
        };
        mode.AcceptOnlyFromAmong("c2s", "s2s", "both");
        var dns = new Option<string[]>("--dns")
        {
            Description = "DNS resolver ADDRESS[:PORT] to use instead of /etc/resolv.conf (repeatable)",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "ADDRESS[:PORT]",
        };
        var trustAnchors = new Option<string[]>("--trust-anchors")
        {
            Description = "PEM file of extra trusted root certificates (repeatable); see --no-system-trust",
            HelpName = "FILE",
        };
        var noSystemTrust = new Option<bool>("--no-system-trust")
        {
            Description = "Trust only the --trust-anchors files, not the system certificate store",
        };
        var json = new Option<string?>("--json")
        {
            Description = "Also write every fact as versioned JSON to FILE ('-' for standard output)",
            HelpName = "FILE",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for a connection or any single read",
            DefaultValueFactory = _ => 10,
            HelpName = "SECONDS",
        };

        var connect = new Option<string?>("--connect")
        {
            Description = "Scan this server for the domain instead of the one DNS names (testing before DNS is set up)",
            HelpName = "ADDRESS[:PORT]",
        };
        var directTls = new Option<bool>("--direct-tls")
        {
            Description = "With --connect: the server speaks TLS from the first byte (XEP-0368), no STARTTLS",
        };

        var fetchAia = FetchAiaOption.Create();

        var quick = new Option<bool>("--quick")
        {
            Description = "One session per endpoint (the census's depth session): skip the TLS assessment (protocols, suites, groups), the certificate inspection (key-type chains, OCSP, DANE), the vulnerability probes and the client simulation",
        };

        var skip = new Option<string[]>("--skip")
        {
            Description = "Leave out parts of the assessment: vulnerabilities, clients (comma-separated or repeated)",
            HelpName = "PARTS",
        };

        var noSharing = NoSharingOption.Create();
        var sessionTls = SessionTlsOption.Create();

        var policy = new Option<string>("--policy")
        {
            Description = "Grading policy for the text and HTML report: " + string.Join(" or ", Policies.All.Select(p => p.Name))
                + " (--json always carries every policy)",
            DefaultValueFactory = _ => Policies.Default,
            HelpName = "NAME",
        };
        var html = new Option<string?>("--html")
        {
            Description = "Also write a self-contained HTML report to FILE",
            HelpName = "FILE",
        };

        var maxConnections = new Option<int>("--max-connections-per-server")
        {
            Description = "Connections open at once to one server during the TLS assessment, 1-4 (2 about halves its time)",
            DefaultValueFactory = _ => 1,
            HelpName = "N",
        };
        maxConnections.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 4)
            {
                r.AddError("--max-connections-per-server must be between 1 and 4");
            }
        });

        var width = new Option<int?>("--width")
        {
            Description = "Columns of the text report (default: the terminal's width; 80 into a file or a pipe). Long lines wrap, nothing is cut",
            HelpName = "N",
        };
        width.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < TerminalText.MinimumWidth or > 1000)
            {
                r.AddError($"--width must be between {TerminalText.MinimumWidth} and 1000");
            }
        });

        var connectionLog = new Option<string?>("--connection-log")
        {
            Description = "Append every connection's open/close time to FILE (as census does)",
            HelpName = "FILE",
        };

        var progressOption = ProgressOption.Create("none");
        var progressEvery = ProgressOption.CreateEvery();

        var command = new Command("scan", "Scan XMPP domains: DNS, XMPP stream, STARTTLS, TLS handshake, certificate");
        command.Arguments.Add(domains);
        command.Options.Add(mode);
        command.Options.Add(dns);
        command.Options.Add(trustAnchors);
        command.Options.Add(noSystemTrust);
        command.Options.Add(json);
        command.Options.Add(timeout);
        command.Options.Add(connect);
        command.Options.Add(directTls);
        command.Options.Add(quick);
        command.Options.Add(skip);
        command.Options.Add(fetchAia);
        command.Options.Add(noSharing);
        command.Options.Add(sessionTls);
        command.Options.Add(policy);
        command.Options.Add(html);
        command.Options.Add(maxConnections);
        command.Options.Add(connectionLog);
        command.Options.Add(width);
        command.Options.Add(progressOption);
        command.Options.Add(progressEvery);

        command.SetAction(async (parse, cancellationToken) =>
        {
            ScanSettings settings;
            try
            {
                settings = ScanSettings.Validate(
                    parse.GetValue(domains) ?? [],
                    parse.GetValue(mode) ?? "c2s",
                    parse.GetValue(dns) ?? [],
                    parse.GetValue(trustAnchors) ?? [],
                    !parse.GetValue(noSystemTrust),
                    parse.GetValue(json),
                    parse.GetValue(timeout),
                    parse.GetValue(connect),
                    parse.GetValue(directTls),
                    parse.GetValue(skip));
            }
            catch (UsageException e)
            {
                await stderr.WriteLineAsync($"xmppscan scan: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (!Policies.TryGet(parse.GetValue(policy) ?? Policies.Default, out var gradingPolicy))
            {
                await stderr.WriteLineAsync($"xmppscan scan: unknown policy '{parse.GetValue(policy)}'; known: {string.Join(", ", Policies.All.Select(p => p.Name))}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var assess = !parse.GetValue(quick);
            if (!assess && parse.GetValue(fetchAia))
            {
                // As census --depth session --fetch-aia: the session depth has no certificate inspection to fetch for.
                await stderr.WriteLineAsync("xmppscan scan: --fetch-aia needs the certificate inspection, which --quick leaves out").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            // Output files are checked before the scan, which may take minutes.
            if (parse.GetValue(html) is { } htmlFile)
            {
                CliFiles.CheckWritable("--html", htmlFile);
            }

            if (settings.JsonPath is { } jsonFile && jsonFile != "-")
            {
                CliFiles.CheckWritable("--json", jsonFile);
            }

            if (parse.GetValue(connectionLog) is { } logFile)
            {
                CliFiles.CheckWritable("--connection-log", logFile);
            }

            settings = settings with
            {
                MaxConnectionsPerServer = parse.GetValue(maxConnections),
                FetchAia = parse.GetValue(fetchAia),
                Sharing = !parse.GetValue(noSharing),
                SessionTls = SessionTlsOption.Value(parse, sessionTls),
                ConnectionLogPath = parse.GetValue(connectionLog),
            };
            var textOut = settings.JsonPath == "-" ? stderr : stdout;
            var renderer = new ScanTextRenderer(textOut, policy: gradingPolicy, color: UseColor(textOut),
                width: parse.GetValue(width) ?? TerminalText.WidthOf(textOut));
            var progressMode = ProgressDisplay.Parse(parse.GetValue(progressOption)!, ProgressDisplay.IsTerminal(stderr), ProgressMode.None);
            // The census's step names, as this scan composes them.
            var steps = ScanRunner.EndpointSteps(settings, assess);
            var tracker = new ScanProgress(steps, settings.Modes.Count);
            tracker.SetTargets(settings.Domains.Count, 0);
            var display = new ProgressDisplay(tracker, stderr, progressMode, TerminalText.WidthOf(stderr),
                lineInterval: TimeSpan.FromSeconds(parse.GetValue(progressEvery)));
            var run = new ScanRunner(settings, assess, progressMode == ProgressMode.None ? null : tracker)
                .RunAsync((domain, ct) => display.WriteAboveAsync(() => renderer.RenderDomain(domain, ct)), cancellationToken);
            await display.RunAsync(run).ConfigureAwait(false);
            var report = await run.ConfigureAwait(false);

            // Grading happens here, on the finished facts: never inside probes, so stored results can be re-graded.
            report = report with { Gradings = Grader.GradeScan(report, Policies.All) };
            if (parse.GetValue(html) is { } htmlPath)
            {
                await CliFiles.WriteAsync("--html", htmlPath, HtmlReportRenderer.Render(report, gradingPolicy.Name), cancellationToken).ConfigureAwait(false);
            }
            if (settings.JsonPath is { } path)
            {
                var text = ResultJson.Serialize(report);
                if (path == "-")
                {
                    await stdout.WriteLineAsync(text).ConfigureAwait(false);
                }
                else
                {
                    await CliFiles.WriteAsync("--json", path, text + "\n", cancellationToken).ConfigureAwait(false);
                }
            }

            return report.Domains.All(d => d.Status != ProbeStatus.Failed) ? ExitCodes.Success : ExitCodes.SomeTargetsFailed;
        });
        return command;
    }

    /// <summary>Colour only on a real terminal, and never when NO_COLOR is set (no-color.org).</summary>
    private static bool UseColor(TextWriter writer) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && ((ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
            || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected));
}
