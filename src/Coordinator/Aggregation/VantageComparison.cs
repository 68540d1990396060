using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// Compares what the regions saw of one endpoint: (domain, mode, SRV target:port, transport). The SRV target name, not
/// the address, is the key, because an attacker who controls a region's DNS or path shows that region other addresses
/// for the same name; the addresses themselves are not compared (geo-DNS and anycast differ legitimately). A region's
/// value is the set of what its endpoints under the key showed. Only keys seen from at least two regions are compared,
/// and a fact only where both regions know it (an unreachable endpoint is a failure, not a disagreement): STARTTLS
/// offered/missing, leaf certificate, leaf key, protocols.
/// </summary>
public static class VantageComparison
{
    public static IReadOnlyList<VantageDisagreement> Compare(IReadOnlyList<RegionResult> results)
    {
        var seen = results.SelectMany(r => r.Report.Endpoints.Select(e => (r.Region, r.Report, Endpoint: e)))
            .GroupBy(x => (x.Report.Domain, x.Report.Mode, Key: $"{x.Endpoint.Target}:{x.Endpoint.Port} {x.Endpoint.Transport.Name()}"));
        var list = new List<VantageDisagreement>();
        foreach (var group in seen.OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Mode).ThenBy(g => g.Key.Key, StringComparer.Ordinal))
        {
            var byRegion = group.GroupBy(x => x.Region).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (byRegion.Count < 2)
            {
                continue;
            }

            void Check(string kind, Func<EndpointReport, string?> fact, Func<IReadOnlyDictionary<string, string>, string> summary)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var region in byRegion)
                {
                    var facts = region.Select(x => fact(x.Endpoint)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    if (facts.Count > 0)
                    {
                        values[region.Key] = string.Join("|", facts);
                    }
                }

                if (values.Count >= 2 && values.Values.Distinct(StringComparer.Ordinal).Count() > 1)
                {
                    list.Add(new VantageDisagreement(group.Key.Domain, group.Key.Mode, group.Key.Key, kind, values, summary(values)));
                }
            }

            if (group.Key.Key.EndsWith("starttls", StringComparison.Ordinal))
            {
                Check("starttls", e => e.Xmpp?.PreTlsFeatures is { } f ? (f.StartTls == StartTlsSupport.NotOffered ? "missing" : "offered") : null,
                    v => $"STARTTLS offered in {Regions(v, "offered")}, missing in {Regions(v, "missing")}");
            }

            Check("certificate", e => e.Certificate?.Chain.FirstOrDefault()?.Sha256, v => "different leaf certificates: " + Pairs(v));
            Check("key", e => e.Certificate?.Chain.FirstOrDefault()?.SpkiSha256, v => "different leaf keys: " + Pairs(v));
            Check("protocols", e => StatisticsCalculator.EndpointProtocols(e).ToList() is { Count: > 0 } p ? string.Join(",", p.Order(StringComparer.Ordinal)) : null,
                v => "different protocols: " + Pairs(v));
        }

        return list;
    }

    /// <summary>Regions whose value is exactly <paramref name="value"/> ("offered|missing" — mixed endpoints — counts as neither).</summary>
    private static string Regions(IReadOnlyDictionary<string, string> values, string value)
    {
        var regions = values.Where(p => p.Value == value).Select(p => p.Key).ToList();
        return regions.Count == 0 ? "none" : string.Join(",", regions);
    }

    private static string Pairs(IReadOnlyDictionary<string, string> values) =>
        string.Join("; ", values.Select(p => $"{p.Key}: {(p.Value.Length > 16 ? p.Value[..16] + "…" : p.Value)}"));
}
