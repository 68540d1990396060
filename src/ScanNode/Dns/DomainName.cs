using System.Globalization;
using System.Net;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Turns what a user typed into the A-label form used on the wire and as the XMPP service domain:
/// IDNA2008-style mapping through <see cref="IdnMapping"/> (UTS #46, STD3 rules), lower case, one trailing dot
/// removed, labels of 1-63 octets and at most 253 characters (255 octets on the wire, RFC 1035 §2.3.4).
/// </summary>
public static class DomainName
{
    /// <summary>Longest name in text form: 255 wire octets less the first length octet and the root label.</summary>
    public const int MaxTextLength = 253;

    /// <summary>Longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelOctets = 63;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>Normalizes <paramref name="input"/>; false with a message a user can act on when it is not a domain name.</summary>
    public static bool TryNormalize(string input, out string asciiName, out string? error)
    {
        asciiName = "";
        string s = (input ?? "").Trim();
        if (s.Length == 0)
        {
            error = "the domain name is empty";
            return false;
        }

        if (s.Any(char.IsWhiteSpace))
        {
            error = $"'{s}' contains white space";
            return false;
        }

        if (s.StartsWith('[') || (s.Contains(':') && IPAddress.TryParse(s.Trim('[', ']'), out _)))
        {
            error = $"'{s}' is an IP address, not a domain name";
            return false;
        }

        if (s.Contains('@') || s.Contains('/') || s.Contains(':'))
        {
            error = $"'{s}' is not a domain name (give only the domain, without user, resource or port)";
            return false;
        }

        if (s.EndsWith('.'))
        {
            s = s[..^1];
        }

        string[] rawLabels = s.Split('.');
        if (s.Length == 0 || rawLabels.Any(l => l.Length == 0))
        {
            error = $"'{input!.Trim()}' has an empty label (two dots in a row, or a leading dot)";
            return false;
        }

        // IdnMapping rejects over-long names with one generic exception; say which limit was hit.
        if (!TryCheckLengths(s.ToLowerInvariant(), out error))
        {
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(s).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"'{s}' is not a valid domain name: labels may contain letters, digits and '-', "
                + "not start or end with '-', and be at most 63 octets in A-label form";
            return false;
        }

        if (!TryCheckLengths(ascii, out error))
        {
            return false;
        }

        string[] labels = ascii.Split('.');

        if (labels[^1].All(char.IsAsciiDigit))
        {
            error = IPAddress.TryParse(ascii, out _)
                ? $"'{s}' is an IP address, not a domain name"
                : $"'{s}' ends in an all-numeric label, which no top-level domain is (RFC 3696 §2)";
            return false;
        }

        asciiName = ascii;
        error = null;
        return true;
    }

    /// <summary>RFC 1035 §2.3.4 limits on the ASCII labels of <paramref name="name"/> (non-ASCII labels are left to IDNA).</summary>
    private static bool TryCheckLengths(string name, out string? error)
    {
        foreach (string label in name.Split('.'))
        {
            if (label.Length > MaxLabelOctets && label.All(char.IsAscii))
            {
                error = $"label '{label}' is {label.Length} characters long; at most 63 are allowed (RFC 1035 §2.3.4)";
                return false;
            }
        }

        if (name.Length > MaxTextLength && name.All(char.IsAscii))
        {
            error = $"the name is {name.Length} characters long; at most {MaxTextLength} are allowed (RFC 1035 §2.3.4)";
            return false;
        }

        error = null;
        return true;
    }
}
