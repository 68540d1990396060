using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Which recursive resolvers to ask and how patiently. One instance per run.</summary>
public sealed record DnsResolverOptions
{
    /// <summary>The standard DNS port (RFC 1035 §4.2).</summary>
    public const int DefaultPort = 53;

    /// <summary>Recursive resolvers, asked in order; the next one only when the previous failed.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>Deadline of one attempt (one datagram sent, or one TCP exchange).</summary>
    public TimeSpan Timeout { get; init; } = ScanLimits.Default.DnsTimeout;

    /// <summary>Attempts per server before moving to the next one (as <see cref="ScanLimits.DnsRetries"/>); at least 1 is made.</summary>
    public int Retries { get; init; } = ScanLimits.Default.DnsRetries;

    /// <summary>Set the EDNS0 DO bit (RFC 3225) so a validating resolver reports AD.</summary>
    public bool RequestDnssec { get; init; } = true;

    /// <summary>
    /// The resolvers of <c>/etc/resolv.conf</c> (its <c>nameserver</c> lines, first three as glibc does, port 53).
    /// A missing or empty file gives 127.0.0.1:53, as glibc's stub does (resolv.conf(5)).
    /// </summary>
    public static DnsResolverOptions FromResolvConf(string path = "/etc/resolv.conf")
    {
        string text;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new StreamReader(stream);
            var buffer = new char[ResolvConf.MaxChars];
            int read = reader.ReadBlock(buffer, 0, buffer.Length);
            text = new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            text = "";
        }

        return new DnsResolverOptions { Servers = ResolvConf.ParseServers(text) };
    }

    /// <summary>
    /// Parses an operator's resolver address: <c>1.2.3.4</c>, <c>1.2.3.4:5353</c>, <c>::1</c>,
    /// <c>[::1]</c> or <c>[::1]:5353</c>. Port 53 when none is given.
    /// </summary>
    public static bool TryParseServer(string text, out IPEndPoint? server, out string? error) =>
        TryParseServer(text, DefaultPort, out server, out error);

    /// <summary>The same syntax for any service address (e.g. <c>xmppscan scan --connect</c>), with its own default port.</summary>
    public static bool TryParseServer(string text, int defaultPort, out IPEndPoint? server, out string? error)
    {
        server = null;
        string s = (text ?? "").Trim();
        if (s.Length == 0)
        {
            error = "empty resolver address";
            return false;
        }

        string addressText = s;
        string? portText = null;
        if (s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 0)
            {
                error = $"'{s}': missing ']' after the IPv6 address";
                return false;
            }

            addressText = s[1..close];
            string rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{s}': expected ':port' after ']'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (s.Count(c => c == ':') == 1)
        {
            int colon = s.IndexOf(':');
            addressText = s[..colon];
            portText = s[(colon + 1)..];
        }

        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{s}' is not an IPv4 or IPv6 address";
            return false;
        }

        int port = defaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{s}': port must be a number from 1 to 65535";
            return false;
        }

        server = new IPEndPoint(address, port);
        error = null;
        return true;
    }

    /// <summary>An IP address in full form only: IPv4 must be a dotted quad (IPAddress.Parse accepts "1" as 0.0.0.1).</summary>
    internal static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork)
        {
            string[] parts = text.Split('.');
            if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
            {
                return false;
            }
        }
        else if (!text.Contains(':'))
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
