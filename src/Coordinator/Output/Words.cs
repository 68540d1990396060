using System.Text;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// Words for people instead of enum and key names, in one place for the text report, the per-server page and the
/// census site: "not applicable", "no OCSP staple", "RSA 2048 bits", "key too small". The stored facts, JSON and
/// CSV keep their stable names; only what is read changes.
/// </summary>
public static class Words
{
    /// <summary>An enum value in words: a known phrase, else the name split at its capitals ("NotApplicable" →
    /// "not applicable").</summary>
    public static string Of(Enum value) => value switch
    {
        OcspStapleStatus.NotStapled => "no OCSP staple",
        OcspStapleStatus.NotChecked => "not checked",
        OcspStapleStatus s => s.ToString().ToLowerInvariant(),
        DaneResult.NoRecords => "no TLSA records",
        DaneResult.Match => "TLSA record matches",
        DaneResult.Mismatch => "TLSA records do not match",
        DaneResult.UnusableRecords => "TLSA records unusable",
        StartTlsSupport.Required => "required",
        StartTlsSupport.Offered => "offered, not required",
        StartTlsSupport.NotOffered => "not offered",
        KeyAlgorithm k => KeyName(k),
        RatingLevel.Warning => "warning",
        _ => Split(value.ToString()),
    };

    /// <summary>"RSA", "EC", "Ed25519".</summary>
    public static string KeyName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Rsa => "RSA",
        KeyAlgorithm.Ec => "EC",
        KeyAlgorithm.Dsa => "DSA",
        KeyAlgorithm.Unknown => "unknown key",
        _ => algorithm.ToString(),
    };

    /// <summary>"RSA 2048 bits".</summary>
    public static string Key(KeyAlgorithm algorithm, int bits) => bits > 0 ? $"{KeyName(algorithm)} {bits} bits" : KeyName(algorithm);

    /// <summary>A statistics key in words: "key_too_small" → "key too small", "self_signed" → "self-signed",
    /// "RSA 2048" → "RSA 2048 bits"; anything else unchanged.</summary>
    public static string Label(string key) => key switch
    {
        "self_signed" => "self-signed",
        "self_signed_in_chain" => "self-signed root in chain",
        "not_a_ca" => "issuer is not a CA",
        "wrong_name" => "wrong name",
        _ when key.Contains('_', StringComparison.Ordinal) && !key.Contains(' ', StringComparison.Ordinal) && key.All(c => char.IsAsciiLetterLower(c) || c == '_' || char.IsAsciiDigit(c))
            => key.Replace('_', ' '),
        _ when key.Split(' ') is [var algorithm, var bits] && algorithm is "RSA" or "EC" or "DSA" && int.TryParse(bits, out _) => key + " bits",
        _ => key,
    };

    private static string Split(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (boundary)
            {
                builder.Append(' ');
            }

            // Keep acronyms (TLS, DNS) as they are; lower-case ordinary words.
            var acronym = char.IsUpper(c) && ((i + 1 < name.Length && char.IsUpper(name[i + 1])) || (i > 0 && char.IsUpper(name[i - 1]) && (i + 1 == name.Length || !char.IsLower(name[i + 1]))));
            builder.Append(acronym ? c : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
