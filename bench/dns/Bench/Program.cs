using System.Diagnostics;
using System.Globalization;
using System.Net;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.DnsBench;

/// <summary>
/// The DNS part of discovery and DANE for every testbed domain: the four SRV names, A and AAAA of every distinct
/// SRV target (of the domain itself when it has no SRV record, RFC 6120 §3.2.2) and TLSA of every
/// <c>_port._tcp.target</c>. Each pass uses a new resolver, and no question repeats within a pass, so the caches
/// of either engine never answer: every query goes to the server. Prints one Markdown row per measurement.
/// Usage: DnsBench --dns ADDRESS:PORT --domains FILE [--passes N] [--parallel]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string? dns = null, domainsFile = null;
        int passes = 20;
        bool parallel = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dns": dns = args[++i]; break;
                case "--domains": domainsFile = args[++i]; break;
                case "--passes": passes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallel": parallel = true; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (dns is null || domainsFile is null || !IPEndPoint.TryParse(dns, out var server))
        {
            Console.Error.WriteLine("usage: DnsBench --dns ADDRESS:PORT --domains FILE [--passes N] [--parallel]");
            return 2;
        }

        string[] domains = File.ReadAllLines(domainsFile).Where(l => l.Length > 0).ToArray();

        // Warm-up: JIT, socket paths, dnsmasq's own state. Not measured.
        var warm = await PassAsync(Engine.Create(server), domains, parallel);
        long queries = 0, records = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int pass = 0; pass < passes; pass++)
        {
            var (q, r) = await PassAsync(Engine.Create(server), domains, parallel);
            queries += q;
            records += r;
        }

        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (records != warm.Records * passes)
        {
            Console.Error.WriteLine($"answers differ between passes: {records} records vs {warm.Records} × {passes}");
            return 1;
        }

        // | engine | order | queries | records per pass | seconds | queries/s | allocated bytes/query |
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Engine.Name} | {(parallel ? "parallel" : "sequential")} | {queries} | {warm.Records} | {clock.Elapsed.TotalSeconds:0.000} | {queries / clock.Elapsed.TotalSeconds:0} | {allocated / queries} |"));
        return 0;
    }

    private static async Task<(long Queries, long Records)> PassAsync(Engine engine, string[] domains, bool parallel)
    {
        if (!parallel)
        {
            long q = 0, r = 0;
            foreach (string domain in domains)
            {
                var (dq, dr) = await DomainAsync(engine, domain);
                q += dq;
                r += dr;
            }

            return (q, r);
        }

        var all = await Task.WhenAll(domains.Select(d => DomainAsync(engine, d)));
        return (all.Sum(x => x.Queries), all.Sum(x => x.Records));
    }

    private static async Task<(long Queries, long Records)> DomainAsync(Engine engine, string domain)
    {
        string[] names = ["_xmpp-client._tcp.", "_xmpps-client._tcp.", "_xmpp-server._tcp.", "_xmpps-server._tcp."];
        var srv = await Task.WhenAll(names.Select(n => engine.Dns.LookupSrvAsync(n + domain, CancellationToken.None)));
        long queries = srv.Length, records = srv.Sum(l => l.Records.Count);
        var usable = srv.SelectMany(l => l.Records).Where(r => !r.IsServiceDisabled).ToList();
        var hosts = usable.Select(r => r.Target).Distinct().ToList();
        if (srv.All(l => l.Records.Count == 0))
        {
            hosts.Add(domain);
        }

        var addresses = await Task.WhenAll(hosts.Select(h => engine.Dns.LookupAddressesAsync(h, CancellationToken.None)));
        queries += 2L * hosts.Count;
        records += addresses.Sum(l => l.Records.Count);

        var tlsaNames = usable.Select(r => $"_{r.Port}._tcp.{r.Target}").Distinct().ToList();
        var tlsa = await Task.WhenAll(tlsaNames.Select(n => engine.Dns.LookupTlsaAsync(n, CancellationToken.None)));
        queries += tlsaNames.Count;
        records += tlsa.Sum(l => l.Records.Count);
        return (queries, records);
    }
}
