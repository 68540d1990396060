namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// Short chart labels for certificate issuers: distinguished names of one organisation share their first
/// characters ("O=XmppScanCluster Testbed, CN=…"), so a label cut to the column showed the same prefix twice. The
/// label is the part that tells them apart — the CN, else the O — and the full name stays on hover.
/// </summary>
internal static class IssuerLabels
{
    public static IReadOnlyDictionary<string, string> For(IEnumerable<string> names)
    {
        var all = names.Distinct(StringComparer.Ordinal).ToList();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in new[] { "CN", "O" })
        {
            foreach (var name in all.Where(n => !labels.ContainsKey(n)))
            {
                var value = Attribute(name, attribute);
                // Unique among every issuer's label of this kind, or it does not tell them apart.
                if (value is not null && all.Count(n => Attribute(n, attribute) == value) == 1)
                {
                    labels[name] = value;
                }
            }
        }

        foreach (var name in all.Where(n => !labels.ContainsKey(n)))
        {
            labels[name] = name;
        }

        return labels;
    }

    /// <summary>The value of one attribute of an RFC 4514 style name ("CN=a, O=b"), commas inside quotes or escaped kept.</summary>
    public static string? Attribute(string name, string attribute)
    {
        foreach (var part in Split(name))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim().Equals(attribute, StringComparison.OrdinalIgnoreCase))
            {
                var value = part[(eq + 1)..].Trim().Trim('"');
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    private static IEnumerable<string> Split(string name)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\')
            {
                i++;
            }
            else if (name[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (name[i] == ',' || name[i] == ';'))
            {
                yield return name[start..i];
                start = i + 1;
            }
        }

        yield return name[start..];
    }
}
