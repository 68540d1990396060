using System.Net;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Reads the <c>nameserver</c> lines of resolv.conf(5). Everything else in the file is ignored.</summary>
internal static class ResolvConf
{
    /// <summary>Characters of the file read at most; a resolv.conf is a few hundred bytes.</summary>
    internal const int MaxChars = 64 * 1024;

    /// <summary>glibc's MAXNS: only the first three nameserver lines are used.</summary>
    internal const int MaxServers = 3;

    /// <summary>The servers named in <paramref name="text"/>; 127.0.0.1:53 when there are none (glibc's default).</summary>
    internal static IReadOnlyList<IPEndPoint> ParseServers(string text)
    {
        var servers = new List<IPEndPoint>();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] != "nameserver")
            {
                continue;
            }

            // "nameserver fe80::1%eth0": the scope id is kept, IPAddress understands it.
            if (DnsResolverOptions.TryParseAddress(words[1], out var address))
            {
                var endpoint = new IPEndPoint(address, DnsResolverOptions.DefaultPort);
                if (!servers.Contains(endpoint))
                {
                    servers.Add(endpoint);
                }
            }

            if (servers.Count == MaxServers)
            {
                break;
            }
        }

        if (servers.Count == 0)
        {
            servers.Add(new IPEndPoint(IPAddress.Loopback, DnsResolverOptions.DefaultPort));
        }

        return servers;
    }
}
