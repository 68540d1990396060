using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication.ExtendedProtection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>
/// The values the harness compares a SCRAM-PLUS client's <c>c=</c> with: computed on the server side of a real TLS
/// connection, they must equal what the client side of the same connection computes (RFC 5929).
/// </summary>
public sealed class TlsChannelBindingsTests
{
    [Fact]
    public async Task ServerSideValues_equalTheClientSideOnes_overRealTls()
    {
        using var pki = HarnessCertificates.Create(DateTimeOffset.UtcNow);
        var (leaf, chain) = pki.Leaf(CertificateKind.Good, "cb.harness.test", DateTimeOffset.UtcNow);
        var address = IPAddress.Parse((Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.128") + ".0.1");
        var listener = new TcpListener(address, 0);
        listener.Start();
        try
        {
            using var clientTcp = new TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await clientTcp.ConnectAsync(address, ((IPEndPoint)listener.LocalEndpoint).Port);
            using var serverTcp = await accept;
            await using var server = new SslStream(serverTcp.GetStream());
            await using var client = new SslStream(clientTcp.GetStream(), false, (_, _, _, _) => true);
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chain), offline: true),
                }),
                client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "cb.harness.test" }));

            var bindings = TlsChannelBindings.From(server);

            Assert.Equal(SHA256.HashData(leaf.RawData), bindings.ServerEndPoint);
            Assert.Equal(ClientSide(client, ChannelBindingKind.Endpoint, "tls-server-end-point:"), bindings.ServerEndPoint);
            Assert.NotNull(bindings.Unique);
            Assert.Equal(ClientSide(client, ChannelBindingKind.Unique, "tls-unique:"), bindings.Unique);
            Assert.Equal(TlsChannelBindings.Matches, bindings.Check("tls-server-end-point", SHA256.HashData(leaf.RawData)));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void DifferentData_doesNotMatch_andExporterIsNotVerified()
    {
        var bindings = new TlsChannelBindings([1, 2, 3], [4, 5, 6], System.Security.Authentication.SslProtocols.Tls12);

        Assert.Equal("does not match", bindings.Check("tls-server-end-point", [1, 2, 4]));
        Assert.Equal("does not match", bindings.Check("tls-unique", [1, 2, 3]));
        Assert.Equal(TlsChannelBindings.Matches, bindings.Check("tls-unique", [4, 5, 6]));
        Assert.StartsWith(TlsChannelBindings.NotVerified, bindings.Check("tls-exporter", [1]), StringComparison.Ordinal);
        Assert.StartsWith(TlsChannelBindings.NotVerified, TlsChannelBindings.None.Check("tls-unique", [1]), StringComparison.Ordinal);
    }

    [Fact]
    public void Sha1SignedCertificate_hashesWithSha256()
    {
        using var pki = HarnessCertificates.Create(DateTimeOffset.UtcNow);
        var (leaf, _) = pki.Leaf(CertificateKind.Sha1Signed, "sha1.harness.test", DateTimeOffset.UtcNow);

        // RFC 5929 §4.1: MD5 and SHA-1 signature hashes are replaced by SHA-256.
        Assert.Equal(SHA256.HashData(leaf.RawData), TlsChannelBindings.ServerEndPointOf(leaf));
    }

    private static byte[] ClientSide(SslStream client, ChannelBindingKind kind, string prefix)
    {
        using var binding = client.TransportContext.GetChannelBinding(kind)!;
        var bytes = new byte[binding.Size];
        Marshal.Copy(binding.DangerousGetHandle(), bytes, 0, bytes.Length);
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(prefix));
        return bytes[(at + prefix.Length)..];
    }
}
