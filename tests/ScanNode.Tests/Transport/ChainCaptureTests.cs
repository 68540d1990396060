using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Transport;

/// <summary>
/// Pins down what .NET on Linux gives a client's certificate validation callback, which the session probe
/// relies on to record the chain as sent (see the remarks on ChainCapture).
/// </summary>
public class ChainCaptureTests
{
    [Fact]
    public async Task CallbackExtraStore_holdsTheWireChain_leafFirst_rootNotSent()
    {
        var (root, intermediate, leaf) = TestCertificates.Chain("example.test");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serverTask = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true),
            });
            _ = await tls.ReadAsync(new byte[1]);
        });

        byte[]? callbackLeaf = null;
        List<byte[]> extraStore = [];
        List<byte[]> chainElements = [];
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using (var tls = new SslStream(client.GetStream()))
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "example.test",
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    callbackLeaf = certificate!.GetRawCertData();
                    foreach (var c in chain!.ChainPolicy.ExtraStore) extraStore.Add(c.RawData);
                    foreach (var e in chain.ChainElements) chainElements.Add(e.Certificate.RawData);
                    return true;
                },
            });
        }
        await serverTask;
        listener.Stop();

        Assert.Equal(leaf.RawData, callbackLeaf);
        Assert.Equal([leaf.RawData, intermediate.RawData], extraStore);
        Assert.DoesNotContain(root.RawData, extraStore);
        Assert.Equal(leaf.RawData, chainElements[0]);
    }
}
