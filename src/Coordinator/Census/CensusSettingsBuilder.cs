using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>Checks the census command line and turns it into the stored <see cref="CensusSettings"/>; every problem at once.</summary>
public static class CensusSettingsBuilder
{
    public static CensusSettings Build(string mode, IReadOnlyList<string> dnsServers, IReadOnlyList<string> trustAnchorFiles,
        bool systemTrust, double timeoutSeconds, PolitenessSettings politeness, IReadOnlyList<string> blocklistEntries,
        ScanDepth depth = ScanDepth.Full, bool fetchAia = false, bool sharing = true, SessionTls sessionTls = SessionTls.Engine)
    {
        var problems = new List<string>();
        foreach (var text in dnsServers)
        {
            if (!DnsResolverOptions.TryParseServer(text, out _, out var error))
            {
                problems.Add($"--dns '{TerminalText.Safe(text, 100)}': {error}");
            }
        }

        var pems = new List<string>();
        foreach (var file in trustAnchorFiles)
        {
            if (TrustStore.TryLoadPemFile(file, out _, out var error))
            {
                pems.Add(File.ReadAllText(file));
            }
            else
            {
                problems.Add($"--trust-anchors '{TerminalText.Safe(file, 100)}': {error}");
            }
        }

        if (!systemTrust && trustAnchorFiles.Count == 0)
        {
            problems.Add("--no-system-trust needs at least one --trust-anchors FILE");
        }

        if (!(timeoutSeconds > 0 && timeoutSeconds <= 300))
        {
            problems.Add("--timeout must be between 0 and 300 seconds");
        }

        if (politeness.MaxConnectionsPerIp < 1 || politeness.MaxConnectionsPerIp > 64)
        {
            problems.Add("--max-per-ip must be between 1 and 64");
        }

        if (politeness.MinSpacingSeconds < 0 || politeness.BackoffSeconds < 0 || politeness.MaxAttempts < 1)
        {
            problems.Add("--spacing and --backoff must not be negative, --attempts at least 1");
        }

        if (fetchAia && depth == ScanDepth.Session)
        {
            // The AIA fetch belongs to the certificate step, which the session depth does not run: refuse, never ignore.
            problems.Add("--fetch-aia needs --depth assessment or full (the session depth has no certificate step)");
        }

        Blocklist.Parse(blocklistEntries, out var invalid);
        problems.AddRange(invalid.Select(e => $"--blocklist: '{TerminalText.Safe(e, 100)}' is neither a domain, an address nor a CIDR"));
        if (problems.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine, problems));
        }

        var modes = mode switch { "s2s" => new[] { "s2s" }, "both" => ["c2s", "s2s"], _ => ["c2s"] };
        return new CensusSettings(modes, dnsServers, pems, systemTrust, timeoutSeconds, politeness,
            blocklistEntries.Select(e => e.Split('#', 2)[0].Trim()).Where(e => e.Length > 0).ToArray(), depth, fetchAia, sharing, sessionTls);
    }
}
