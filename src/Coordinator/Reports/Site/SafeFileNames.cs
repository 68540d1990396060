using System.Security.Cryptography;
using System.Text;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// A file name for a domain's page and badge that can never leave the output directory: only <c>a–z 0–9 . -</c>
/// pass through; every other byte of the UTF-8 name (upper case, <c>/</c>, <c>\</c>, <c>_</c>, NUL, Unicode of
/// an IDN written as U-labels) becomes <c>_hh</c>, so the mapping is one-to-one even on case-insensitive file
/// systems. A leading dot is escaped too (no hidden files, no <c>..</c>), and a long name is cut and completed
/// with a hash of the whole, keeping it under the usual 255-byte limit with its extension.
/// </summary>
public static class SafeFileNames
{
    private const int MaxLength = 150;

    /// <summary>The stem (no extension) for <paramref name="domain"/>.</summary>
    public static string For(string domain)
    {
        var name = new StringBuilder(domain.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(domain))
        {
            var c = (char)b;
            var plain = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' || (c == '.' && name.Length > 0);
            if (plain)
            {
                name.Append(c);
            }
            else
            {
                name.Append('_').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (name.Length == 0)
        {
            return "_";
        }

        if (name.Length <= MaxLength)
        {
            return name.ToString();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(domain)))[..16];
        return name.ToString(0, MaxLength - 17) + "~" + hash;
    }
}
