using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.TestKit;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// <c>--session-tls</c>, seen on the wire: a relay in front of a real Prosody's direct-TLS port keeps the first ClientHello of
/// every connection. The engine's session hello is SslStream's without encrypt_then_mac (SessionHello says why), so the
/// extension tells which client sent it: none by default, SslStream's with <c>--session-tls sslstream</c>. Both scans
/// must report the same session. Without the option the second scan is refused; with the option ignored its hello has no
/// encrypt_then_mac and the test fails.
/// </summary>
public class SessionTlsOptionTests
{
    private const string Domain = "modern.test";

    [Fact]
    public async Task SslStreamChoice_putsTheSessionOnSslStream_theEngineIsTheDefault_andBothReportTheSameSession()
    {
        var env = SharedTestbed.EnsureUp();
        var server = Server(env);

        var (engineHellos, engine) = await ScanThroughRelayAsync(env, server, []);
        var (platformHellos, platform) = await ScanThroughRelayAsync(env, server, ["--session-tls", "sslstream"]);

        var first = Assert.Single(engineHellos);
        Assert.False(OffersEncryptThenMac(first), "the default session went out on SslStream, not the engine");
        Assert.True(OffersEncryptThenMac(Assert.Single(platformHellos)), "--session-tls sslstream was not SslStream's hello");
        Assert.Equal(ProbeStatus.Completed, engine.Status);
        Assert.Equal(ProbeStatus.Completed, platform.Status);
        Assert.Equal(engine.Tls!.Protocol, platform.Tls!.Protocol);
        Assert.Equal(engine.Tls.CipherSuite, platform.Tls.CipherSuite);
        Assert.Equal(engine.Tls.Alpn, platform.Tls.Alpn);
        Assert.Equal(engine.Certificate!.Chain.Select(c => c.Sha256), platform.Certificate!.Chain.Select(c => c.Sha256));
        Assert.Equal(engine.Certificate.Identity?.Matched, platform.Certificate.Identity?.Matched);
        Assert.Equal(engine.Xmpp!.PostTlsFeatures?.SaslMechanisms, platform.Xmpp!.PostTlsFeatures?.SaslMechanisms);
    }

    /// <summary>The census keeps the choice with its settings, so every node (in process or <c>xmppscan node</c>) connects
    /// with it: the node side is the same <c>XmppConnectorOptions.Gated</c> the scan above goes through.</summary>
    [Fact]
    public async Task Census_storesTheChoiceWithItsSettings_andSaysSo()
    {
        var env = SharedTestbed.EnsureUp();
        var dir = Directory.CreateTempSubdirectory("xmppscan-session-tls-");
        try
        {
            var targets = Path.Combine(dir.FullName, "targets.txt");
            await File.WriteAllLinesAsync(targets, [Domain]);
            var db = "sqlite:" + Path.Combine(dir.FullName, "census.db");
            var (code, stdout, stderr) = await RunCliAsync("census", "--targets", targets, "--store", db, "--no-node", "--session-tls", "sslstream",
                "--dns", env["TESTBED_DNS"], "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust");

            Assert.True(code == ExitCodes.Success, stderr + stdout);
            Assert.Contains(", session TLS on sslstream", stdout, StringComparison.Ordinal);
            await using var store = await StoreFactory.OpenAsync(db);
            var census = Assert.Single(await store.ListCensusesAsync());
            Assert.Equal(SessionTls.SslStream, CensusSettings.FromJson(census.SettingsJson).SessionTls);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UnknownChoice_isOneClearLine_andAUsageExit()
    {
        var (code, _, stderr) = await RunCliAsync("scan", "--session-tls", "schannel", "--dns", "127.0.0.1", Domain);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("schannel", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    /// <summary>The testbed's modern Prosody, direct TLS (XEP-0368), from the manifest.</summary>
    private static IPEndPoint Server(IReadOnlyDictionary<string, string> env)
    {
        var domain = JsonDocument.Parse(File.ReadAllText(env["TESTBED_MANIFEST"])).RootElement.GetProperty("domains").EnumerateArray()
            .Single(d => d.GetProperty("domain").GetString() == Domain);
        return new IPEndPoint(IPAddress.Parse(domain.GetProperty("endpoints")[0].GetProperty("address").GetString()!),
            domain.GetProperty("ports").GetProperty("c2s_direct_tls").GetInt32());
    }

    private static async Task<(IReadOnlyList<byte[]> Hellos, EndpointReport Endpoint)> ScanThroughRelayAsync(
        IReadOnlyDictionary<string, string> env, IPEndPoint server, string[] extra)
    {
        await using var relay = new FirstRecordRelay(server);
        var json = Path.Combine(Path.GetTempPath(), $"xmppscan-session-tls-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = await RunCliAsync(["scan", "--quick", "--connect", $"127.0.0.1:{relay.Port}", "--direct-tls",
                "--dns", env["TESTBED_DNS"], "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust", "--json", json, .. extra, Domain]);
            Assert.True(code == ExitCodes.Success, $"exit {code}: {stderr}\n{stdout}");
            var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))!;
            return (relay.Hellos, Assert.Single(report.Domains.SelectMany(d => d.Endpoints)));
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static bool OffersEncryptThenMac(byte[] hello)
    {
        var parsed = RecordedHelloParser.Parse(hello);
        Assert.True(parsed.IsComplete, parsed.Error);
        return parsed.Value!.Profile.Extensions.Any(e => e.Type == TlsExtensionType.EncryptThenMac);
    }

    /// <summary>Loopback relay (tests only): forwards every connection both ways untouched and keeps the client's first TLS
    /// record (its ClientHello).</summary>
    private sealed class FirstRecordRelay : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly IPEndPoint _target;
        private readonly ConcurrentQueue<byte[]> _hellos = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private readonly ConcurrentBag<Task> _sessions = [];

        public FirstRecordRelay(IPEndPoint target)
        {
            if (!IPAddress.IsLoopback(target.Address)) throw new InvalidOperationException("tests relay to loopback only");
            _target = target;
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public IReadOnlyList<byte[]> Hellos => [.. _hellos];

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _sessions.Add(RelayAsync(client));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task RelayAsync(TcpClient client)
        {
            using (client)
            using (var upstream = new TcpClient())
            {
                try
                {
                    await upstream.ConnectAsync(_target, _stop.Token);
                    var fromClient = client.GetStream();
                    var toServer = upstream.GetStream();
                    // TLSPlaintext header (type, version, uint16 length; RFC 8446 §5.1), then the record itself.
                    var header = new byte[5];
                    await fromClient.ReadExactlyAsync(header, _stop.Token);
                    var record = new byte[5 + ((header[3] << 8) | header[4])];
                    header.CopyTo(record, 0);
                    await fromClient.ReadExactlyAsync(record.AsMemory(5), _stop.Token);
                    _hellos.Enqueue(record);
                    await toServer.WriteAsync(record, _stop.Token);
                    await Task.WhenAny(fromClient.CopyToAsync(toServer, _stop.Token), toServer.CopyToAsync(fromClient, _stop.Token));
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
                {
                    // The scanner or the server closed: nothing more to relay.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            await Task.WhenAll(_sessions);
            _stop.Dispose();
        }
    }
}
