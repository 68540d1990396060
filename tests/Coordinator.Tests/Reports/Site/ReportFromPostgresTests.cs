using XmppScanCluster.Coordinator.Tests.Store.Support;
using XmppScanCluster.Shared.Certificates;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

/// <summary>
/// <c>xmppscan report --store postgres://…</c>, the cluster's store: the same censuses written to PostgreSQL and to
/// SQLite give the same site data (statistics, table, CSV, comparison) — the report reads only through the store API.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportFromPostgresTests(PostgresServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-report-pg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PostgresStore_givesTheSameSiteAsSqlite()
    {
        var (database, _) = await server.CreateDatabaseAsync();
        try
        {
            var postgres = $"postgres://postgres@127.0.0.1:{server.Port}/{database}";
            var sqlite = "sqlite:" + Path.Combine(_dir, "s.db");
            foreach (var store in new[] { postgres, sqlite })
            {
                await SiteStores.AddCensusAsync(store, "october", [Domain("a.test", Endpoint("a", protocols: ["TLSv1.0"])), Domain("b.test", Endpoint("b"))]);
                await SiteStores.AddCensusAsync(store, "november", [Domain("a.test", Endpoint("a")),
                    Domain("c.test", Endpoint("c", trust: [TrustProblem.Expired])), NoService("d.test")]);
            }

            var fromPostgres = Path.Combine(_dir, "pg");
            var fromSqlite = Path.Combine(_dir, "sqlite");
            var pg = await SiteStores.RunAsync("report", "--store", postgres, "--out", fromPostgres);
            var lite = await SiteStores.RunAsync("report", "--store", sqlite, "--out", fromSqlite);
            Assert.True(pg.Code == 0, pg.Err);
            Assert.True(lite.Code == 0, lite.Err);
            Assert.Contains("census 'november'", pg.Out, StringComparison.Ordinal);

            foreach (var file in (string[])["statistics.json", "domains.csv", "domains.json", "badge/c.test.svg"])
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(fromSqlite, file)), await File.ReadAllTextAsync(Path.Combine(fromPostgres, file)));
            }

            var compare = await File.ReadAllTextAsync(Path.Combine(fromPostgres, "compare.html"));
            Assert.Contains("Improved (1)", compare, StringComparison.Ordinal);
            Assert.Contains("Gone since the previous census (1)", compare, StringComparison.Ordinal);
            Assert.Contains("c2s T", await File.ReadAllTextAsync(Path.Combine(fromPostgres, "badge", "c.test.svg")), StringComparison.Ordinal);
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}
