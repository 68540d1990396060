using System.Globalization;
using System.Net;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Node;

public class ConnectionLogTests
{
    /// <summary>
    /// The nodes of a cluster test (or an operator's nodes on one host) append to one connection log. Each
    /// <see cref="ConnectionLog"/> stands for a node here: its own lock and its own opens of the file, as in
    /// another process. A line lost or torn would hide a connection from the politeness check.
    /// </summary>
    [Fact]
    public async Task SeveralWritersOnOneFile_everyLineArrivesWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"connections-{Guid.NewGuid():N}.log");
        try
        {
            const int Writers = 3, Threads = 3, LinesPerThread = 300;
            var logs = Enumerable.Range(0, Writers).Select(_ => new ConnectionLog(path)).ToList();
            var work = logs.SelectMany((log, w) => Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < LinesPerThread; i++)
                {
                    var endpoint = new XmppEndpoint($"w{w}-t{t}-{i}.example", XmppMode.C2S, TlsTransport.StartTls, "xmpp.example",
                        IPAddress.Loopback, 5222, 0, 0, EndpointSource.Explicit);
                    log.Closed(log.Opened(endpoint, DateTimeOffset.UnixEpoch.AddMilliseconds(i)));
                }
            })));
            await Task.WhenAll(work);

            var lines = File.ReadAllLines(path);
            Assert.All(lines, l => Assert.Matches(@"^127\.0\.0\.1 5222 \d+ \d+ w\d-t\d-\d+\.example$", l));
            var domains = lines.Select(l => l.Split(' ')[4]).ToHashSet();
            Assert.Equal(Writers * Threads * LinesPerThread, lines.Length);
            Assert.Equal(lines.Length, domains.Count);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"w2-t2-{LinesPerThread - 1}.example"), domains);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
