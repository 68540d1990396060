using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// Domains and networks the operator never wants contacted: a domain entry blocks the domain and every name
/// under it; an address or CIDR entry (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>) blocks connections to it.
/// Honoured when a census is planned and again before every connection.
/// </summary>
public sealed class Blocklist
{
    private readonly HashSet<string> _domains;
    private readonly List<(byte[] Network, int Prefix)> _networks;

    private Blocklist(HashSet<string> domains, List<(byte[], int)> networks)
    {
        _domains = domains;
        _networks = networks;
    }

    public static Blocklist Empty { get; } = new([], []);

    public int Count => _domains.Count + _networks.Count;

    /// <summary>Parses entries (blank and <c>#</c> lines ignored); bad entries are returned, not thrown.</summary>
    public static Blocklist Parse(IEnumerable<string> entries, out IReadOnlyList<string> invalid)
    {
        var domains = new HashSet<string>(StringComparer.Ordinal);
        var networks = new List<(byte[], int)>();
        var bad = new List<string>();
        foreach (var raw in entries)
        {
            var entry = raw.Split('#', 2)[0].Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var addressText = slash < 0 ? entry : entry[..slash];
            if (IPAddress.TryParse(addressText, out var address))
            {
                address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
                var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                if (slash < 0)
                {
                    networks.Add((address.GetAddressBytes(), max));
                }
                else if (int.TryParse(entry[(slash + 1)..], out var prefix) && prefix >= 0 && prefix <= max)
                {
                    networks.Add((address.GetAddressBytes(), prefix));
                }
                else
                {
                    bad.Add(raw);
                }
            }
            else if (Dns.DomainName.TryNormalize(entry, out var name, out _))
            {
                domains.Add(name);
            }
            else
            {
                bad.Add(raw);
            }
        }

        invalid = bad;
        return new Blocklist(domains, networks);
    }

    /// <summary>The domain or one of its parents is listed (A-label form expected).</summary>
    public bool IsBlocked(string domain)
    {
        var name = domain.TrimEnd('.').ToLowerInvariant();
        while (true)
        {
            if (_domains.Contains(name))
            {
                return true;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            name = name[(dot + 1)..];
        }
    }

    public bool IsBlocked(IPAddress address)
    {
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var bytes = address.GetAddressBytes();
        foreach (var (network, prefix) in _networks)
        {
            if (network.Length == bytes.Length && PrefixMatches(network, bytes, prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PrefixMatches(byte[] network, byte[] address, int prefix)
    {
        var full = prefix / 8;
        for (var i = 0; i < full; i++)
        {
            if (network[i] != address[i])
            {
                return false;
            }
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (network[full] & mask) == (address[full] & mask);
    }
}
