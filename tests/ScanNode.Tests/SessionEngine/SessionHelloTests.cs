using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>
/// The engine's session hello must be the platform default client's, or the session's facts ("what an up-to-date client
/// negotiates") would change meaning: the hello SslStream sends with the session's own options, captured on a local
/// socket, against <see cref="SessionHello"/> — suites, groups, signature schemes, versions and the extensions in order.
/// When a .NET or OpenSSL update changes the platform's hello, this fails and says what to update.
/// </summary>
public class SessionHelloTests
{
    [Theory]
    [InlineData(TlsTransport.StartTls)]
    [InlineData(TlsTransport.DirectTls)]
    public async Task EngineHello_offersWhatSslStreamOffers(TlsTransport transport)
    {
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: transport, Target: "example.test",
            Address: IPAddress.Loopback, Port: 5222, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);
        var platform = Parse(await CaptureSslStreamHelloAsync(endpoint));
        using var share = KeyShareSecret.Create(NamedGroups.X25519);
        var alpn = transport == TlsTransport.DirectTls ? endpoint.Mode.AlpnProtocol() : null;
        var engine = Parse(ClientHelloBuilder.BuildRecords(SessionHello.Profile(endpoint.Domain, share, alpn)));

        Assert.Equal(Hex(platform.Profile.CipherSuites), Hex(engine.Profile.CipherSuites));
        Assert.Equal(Hex(platform.SupportedGroups), Hex(engine.SupportedGroups));
        Assert.Equal(Hex(platform.SignatureAlgorithms), Hex(engine.SignatureAlgorithms));
        Assert.Equal(Hex(platform.SupportedVersions), Hex(engine.SupportedVersions));
        Assert.Equal(platform.ServerName, engine.ServerName);
        Assert.Equal(platform.Profile.SessionIdLength, engine.Profile.SessionIdLength);
        // encrypt_then_mac (22) is the one extension left out on purpose (SessionHello's summary says why).
        Assert.Equal(Hex(platform.Profile.Extensions.Select(e => e.Type).Where(t => t != TlsExtensionType.EncryptThenMac)),
            Hex(engine.Profile.Extensions.Select(e => e.Type)));
        Assert.Equal(Hex(KeyShareGroups(platform)), Hex(KeyShareGroups(engine)));
    }

    private static string Hex(IEnumerable<ushort> values) => string.Join(" ", values.Select(v => v.ToString("X4")));

    private static RecordedHello Parse(byte[] records)
    {
        var parsed = RecordedHelloParser.Parse(records);
        Assert.True(parsed.IsComplete, parsed.Error);
        return parsed.Value!;
    }

    /// <summary>client_shares: KeyShareEntry { NamedGroup group; opaque key_exchange&lt;1..2^16-1&gt; } (RFC 8446 §4.2.8).</summary>
    private static List<ushort> KeyShareGroups(RecordedHello hello)
    {
        var data = hello.Profile.Extensions.Single(e => e.Type == TlsExtensionType.KeyShare).Data.AsSpan();
        var groups = new List<ushort>();
        for (var at = 2; at + 4 <= data.Length; at += 4 + ((data[at + 2] << 8) | data[at + 3]))
        {
            groups.Add((ushort)((data[at] << 8) | data[at + 1]));
        }

        return groups;
    }

    private static async Task<byte[]> CaptureSslStreamHelloAsync(XmppEndpoint endpoint)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        var tls = new SslStream(client.GetStream());
        using var stop = new CancellationTokenSource();
        var handshake = tls.AuthenticateAsClientAsync(
            XmppTlsSessionProbe.ClientOptions(endpoint, new ChainCapture(), SessionClient.SystemDefault), stop.Token);
        var wire = accepted.GetStream();
        var header = new byte[5];
        await wire.ReadExactlyAsync(header);
        var record = new byte[5 + ((header[3] << 8) | header[4])];
        header.CopyTo(record, 0);
        await wire.ReadExactlyAsync(record.AsMemory(5));
        await stop.CancelAsync();
        accepted.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        return record;
    }
}
