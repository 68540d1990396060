using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// Compares what the regions saw of one endpoint (domain, mode, address:port, transport). Only endpoints seen from
/// at least two regions are compared, and a fact is compared only where both regions know it (an unreachable
/// endpoint is a failure, not a disagreement): STARTTLS offered/missing, leaf certificate, leaf key, protocols.
/// </summary>
public static class VantageComparison
{
    public static IReadOnlyList<VantageDisagreement> Compare(IReadOnlyList<RegionResult> results)
    {
        var seen = results.SelectMany(r => r.Report.Endpoints.Select(e => (r.Region, r.Report, Endpoint: e)))
            .GroupBy(x => (x.Report.Domain, x.Report.Mode, Key: $"{x.Endpoint.Address}:{x.Endpoint.Port} {x.Endpoint.Transport.Name()}"));
        var list = new List<VantageDisagreement>();
        foreach (var group in seen.OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Mode).ThenBy(g => g.Key.Key, StringComparer.Ordinal))
        {
            var byRegion = group.GroupBy(x => x.Region).Select(g => g.First()).OrderBy(x => x.Region, StringComparer.Ordinal).ToList();
            if (byRegion.Count < 2)
            {
                continue;
            }

            void Check(string kind, Func<EndpointReport, string?> fact, Func<IReadOnlyDictionary<string, string>, string> summary)
            {
                var values = byRegion.Select(x => (x.Region, Value: fact(x.Endpoint))).Where(x => x.Value is not null)
                    .ToDictionary(x => x.Region, x => x.Value!, StringComparer.Ordinal);
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

    private static string Regions(IReadOnlyDictionary<string, string> values, string value) =>
        string.Join(",", values.Where(p => p.Value == value).Select(p => p.Key));

    private static string Pairs(IReadOnlyDictionary<string, string> values) =>
        string.Join("; ", values.Select(p => $"{p.Key}: {(p.Value.Length > 16 ? p.Value[..16] + "…" : p.Value)}"));
}
