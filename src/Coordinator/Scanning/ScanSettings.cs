using System.Net;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.ScanNode;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Scanning;

/// <summary>A scan's validated settings. Everything the user typed is checked here, before any packet is sent.</summary>
public sealed record ScanSettings(
    IReadOnlyList<string> Domains,
    IReadOnlyList<XmppMode> Modes,
    DnsResolverOptions Dns,
    TrustStore Anchors,
    IReadOnlyList<string> TrustAnchorFiles,
    bool SystemTrust,
    string? JsonPath,
    ScanLimits Limits)
{
    /// <summary>What the assessment runs after the suite enumeration (<c>--skip</c> turns parts off).</summary>
    public AssessmentOptions Assessment { get; init; } = AssessmentOptions.Default;

    /// <summary>Parts of the scan <c>--skip</c> can leave out: each costs connections some servers can't spare.</summary>
    public static readonly IReadOnlyList<string> SkippableParts = ["vulnerabilities", "clients"];

    /// <summary>With <c>--connect</c>: the one server to scan for every domain, bypassing DNS.</summary>
    public ExplicitServer? Connect { get; init; }

    /// <summary>Connections open at once to one server during the TLS assessment (1–4; 1 = sequential).</summary>
    public int MaxConnectionsPerServer { get; init; } = 1;

    /// <summary>With <c>--fetch-aia</c>: fetch a missing issuer from its AIA caIssuers URL (contacts a third party).</summary>
    public bool FetchAia { get; init; }

    /// <summary>Endpoints of one address share a verified TLS assessment (issue 14); <c>--no-sharing</c> turns it off.</summary>
    public bool Sharing { get; init; } = true;

    /// <summary>Which TLS implementation finishes the sessions (<c>--session-tls</c>): the engine unless asked.</summary>
    public SessionTls SessionTls { get; init; } = SessionTls.Engine;

    /// <summary>With <c>--connection-log</c>: every connection's open and close time appended to this file.</summary>
    public string? ConnectionLogPath { get; init; }

    public const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>Checks the command line; throws <see cref="UsageException"/> with every problem, one per line.</summary>
    public static ScanSettings Validate(IReadOnlyList<string> domains, string mode, IReadOnlyList<string> dnsServers,
        IReadOnlyList<string> trustAnchorFiles, bool systemTrust, string? jsonPath, double timeoutSeconds,
        string? connect = null, bool directTls = false, IReadOnlyList<string>? skip = null)
    {
        var problems = new List<string>();
        var names = new List<string>();
        foreach (var domain in domains)
        {
            if (!DomainName.TryNormalize(domain, out var ascii, out var error))
            {
                // DomainName's message already quotes the input and says what is wrong with it.
                problems.Add(TerminalSafe(error ?? $"'{domain}' is not a valid domain name", 300));
            }
            else if (!names.Contains(ascii))
            {
                names.Add(ascii);
            }
        }

        var servers = new List<IPEndPoint>();
        foreach (var text in dnsServers)
        {
            if (DnsResolverOptions.TryParseServer(text, out var server, out var error) && server is not null)
            {
                servers.Add(server);
            }
            else
            {
                problems.Add($"--dns '{TerminalSafe(text)}': {error}");
            }
        }

        var dns = servers.Count > 0 ? new DnsResolverOptions { Servers = servers } : DnsResolverOptions.FromResolvConf();
        if (dns.Servers.Count == 0)
        {
            problems.Add("no DNS resolver: /etc/resolv.conf names none; give one with --dns ADDRESS[:PORT]");
        }

        var stores = new List<TrustStore>();
        if (systemTrust)
        {
            if (TrustStore.TryLoadPemFile(SystemBundle, out var system, out _) && system is not null)
            {
                stores.Add(system);
            }
            else if (trustAnchorFiles.Count == 0)
            {
                problems.Add($"the system trust store {SystemBundle} cannot be read; install ca-certificates or give --trust-anchors FILE");
            }
        }

        foreach (var file in trustAnchorFiles)
        {
            if (TrustStore.TryLoadPemFile(file, out var store, out var error) && store is not null)
            {
                stores.Add(store);
            }
            else
            {
                problems.Add($"--trust-anchors '{TerminalSafe(file)}': {error}");
            }
        }

        if (!systemTrust && trustAnchorFiles.Count == 0)
        {
            problems.Add("--no-system-trust needs at least one --trust-anchors FILE");
        }

        if (jsonPath is not null and not "-")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
            if (directory is not null && !Directory.Exists(directory))
            {
                problems.Add($"--json '{TerminalSafe(jsonPath)}': directory {directory} does not exist");
            }
        }

        ExplicitServer? explicitServer = null;
        if (connect is not null)
        {
            // The port defaults to the mode's (5222/5269); with --mode both a port would be ambiguous.
            var defaultPort = mode == "s2s" ? XmppMode.S2S.DefaultPort() : XmppMode.C2S.DefaultPort();
            if (mode == "both")
            {
                problems.Add("--connect scans one server: choose --mode c2s or --mode s2s");
            }
            else if (DnsResolverOptions.TryParseServer(connect, defaultPort, out var server, out var error) && server is not null)
            {
                explicitServer = new ExplicitServer(server.Address, server.Port,
                    directTls ? TlsTransport.DirectTls : TlsTransport.StartTls);
            }
            else
            {
                problems.Add($"--connect '{TerminalSafe(connect)}': {error}");
            }
        }
        else if (directTls)
        {
            problems.Add("--direct-tls goes with --connect ADDRESS[:PORT]");
        }

        var skipped = (skip ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var part in skipped.Where(p => !SkippableParts.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"--skip '{TerminalSafe(part)}': not a part of the scan; choose from {string.Join(", ", SkippableParts)}");
        }

        if (!(timeoutSeconds > 0 && timeoutSeconds <= 300))
        {
            problems.Add("--timeout must be between 0 and 300 seconds");
        }

        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine + "xmppscan scan: ", problems));
        }

        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        var limits = ScanLimits.Default with
        {
            ConnectTimeout = timeout,
            ReadTimeout = timeout,
            ConnectionTimeout = timeout * 3,
        };
        var modes = mode switch
        {
            "s2s" => new[] { XmppMode.S2S },
            "both" => [XmppMode.C2S, XmppMode.S2S],
            _ => [XmppMode.C2S],
        };
        dns = dns with { Timeout = limits.DnsTimeout, Retries = limits.DnsRetries };
        return new ScanSettings(names, modes, dns, TrustStore.Combine([.. stores]), trustAnchorFiles, systemTrust, jsonPath, limits)
        {
            Connect = explicitServer,
            Assessment = AssessmentOptions.Default with
            {
                Vulnerabilities = !skipped.Contains("vulnerabilities"),
                ClientSimulation = !skipped.Contains("clients"),
            },
        };
    }

    /// <summary>An address the operator named, scanned as the domain's only endpoint.</summary>
    public sealed record ExplicitServer(IPAddress Address, int Port, TlsTransport Transport);

    private static string TerminalSafe(string text, int maxLength = 100) => Output.TerminalText.Safe(text, maxLength);
}
