using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// The harness zone served by a real dnsmasq (the resolver the testbed uses), on a loopback address inside the
/// sandbox: per scenario <c>_xmpp-client._tcp.DOMAIN</c> SRV → <c>xmpp.DOMAIN:5222</c>, A records for the domain,
/// the SRV target and the see-other-host target, and <c>_xmpps-client</c> (XEP-0368, preferred by priority) where
/// the scenario listens for direct TLS. <c>no-resolv</c>: every other name fails, so no client resolves its way out.
/// </summary>
internal sealed class HarnessDns : IAsyncDisposable
{
    private readonly Process _process;

    private HarnessDns(Process process) => _process = process;

    public static string Zone(IEnumerable<ScenarioServerSetup> setups)
    {
        var conf = new StringBuilder("local=/" + ClientHarness.ZoneSuffix + "/\n");
        foreach (var s in setups)
        {
            var d = s.Domain;
            conf.Append("host-record=").Append(d).Append(',').Append(s.Address).Append('\n')
                .Append("host-record=xmpp.").Append(d).Append(',').Append(s.Address).Append('\n')
                .Append("host-record=other.").Append(d).Append(',').Append(s.OtherHost).Append('\n')
                .Append("srv-host=_xmpp-client._tcp.").Append(d).Append(",xmpp.").Append(d).Append(',').Append(ScenarioServer.C2sPort).Append(",10,0\n");
            if (s.Scenario.DirectTls)
            {
                conf.Append("srv-host=_xmpps-client._tcp.").Append(d).Append(",xmpp.").Append(d).Append(',').Append(ScenarioServer.DirectTlsPort).Append(",5,0\n");
            }
        }

        return conf.ToString();
    }

    public static async Task<HarnessDns> StartAsync(string confPath, IPAddress address, CancellationToken ct)
    {
        var info = new ProcessStartInfo("/usr/sbin/dnsmasq")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=" + confPath,
                     "--listen-address=" + address, "--bind-interfaces", "--port=53", "--pid-file=", "--user=", "--log-facility=-",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start");
        _ = process.StandardOutput.ReadToEndAsync(ct);
        _ = process.StandardError.ReadToEndAsync(ct);
        var dns = new HarnessDns(process);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await AnswersAsync(address, ct).ConfigureAwait(false))
            {
                return dns;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        await dns.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("dnsmasq does not answer on " + address + ":53");
    }

    // A query for "localhost." type A: any answer means the resolver is up.
    private static async Task<bool> AnswersAsync(IPAddress address, CancellationToken ct)
    {
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 9, .. "localhost"u8, 0, 0, 1, 0, 1];
        using var udp = new UdpClient(address.AddressFamily);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(200);
        try
        {
            await udp.SendAsync(query, new IPEndPoint(address, 53), ct).ConfigureAwait(false);
            var reply = await udp.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            return reply.Buffer.Length >= 12 && reply.Buffer[0] == 0x12 && reply.Buffer[1] == 0x34;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
