using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>
/// The session engine against a real <c>openssl s_server -rev</c> (it sends every line back reversed): the handshake a
/// server configuration leads to, the negotiated version and suite, the chain as sent, and application data both ways
/// under the derived keys. What the engine does not do ends with <see cref="EngineHandshakeException.CannotFinish"/>, so
/// the session moves to SslStream instead of reporting a failure of the server.
/// </summary>
public class EngineTlsClientTests
{
    [Theory]
    [InlineData(false, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, "-tls1_3")]
    [InlineData(false, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, "-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256")]
    [InlineData(false, SslProtocols.Tls13, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData(true, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, "-tls1_3")] // CertificateVerify with ECDSA
    [InlineData(false, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, "-tls1_3", "-groups", "P-256")] // HelloRetryRequest
    [InlineData(true, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, "-tls1_3", "-groups", "P-384")]
    [InlineData(false, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, "-tls1_3", "-verify", "1")] // a client certificate requested
    [InlineData(false, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "-tls1_2")] // with extended_master_secret (OpenSSL's default)
    [InlineData(false, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA256")]
    [InlineData(true, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-curves", "P-521")]
    [InlineData(false, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-SHA384")]
    public async Task Handshake_negotiatesWhatTheServerChose_andCarriesDataBothWays(bool ecdsa, SslProtocols protocol, TlsCipherSuite suite,
        params string[] serverArgs)
    {
        await using var server = await OpenSslServer.StartAsync(ecdsa, ["-rev", .. serverArgs]);
        var presented = new List<byte[]>();

        var session = await ConnectAsync(server.Port, presented);
        await using var stream = session.Stream;

        Assert.Equal(protocol, session.Protocol);
        Assert.Equal(suite, session.CipherSuite);
        Assert.Equal([server.CertificateDer], presented);
        await session.Stream.WriteAsync(Encoding.ASCII.GetBytes("xmpp over the engine\n"));
        Assert.Equal("enigne eht revo ppmx", await ReadLineAsync(session.Stream));
    }

    [Theory]
    [InlineData("-tls1_3", "-groups", "X448")]  // a HelloRetryRequest for x448
    [InlineData("-tls1_2", "-curves", "X448")]  // ECDHE on x448
    public async Task ServerChoosesWhatTheEngineDoesNotDo_cannotFinish_notAServerFailure(params string[] serverArgs)
    {
        await using var server = await OpenSslServer.StartAsync(["-rev", .. serverArgs]);

        var e = await Assert.ThrowsAsync<EngineHandshakeException>(() => ConnectAsync(server.Port, []));

        Assert.True(e.CannotFinish, e.Message);
        Assert.Equal(FailureKind.TlsHandshakeFailed, e.Failure.Kind);
    }

    [Fact]
    public async Task NoSharedSuite_isTheServersAlert()
    {
        await using var server = await OpenSslServer.StartAsync("-rev", "-tls1_2", "-cipher", "AES128-SHA");

        var e = await Assert.ThrowsAsync<EngineHandshakeException>(() => ConnectAsync(server.Port, []));

        Assert.False(e.CannotFinish);
        Assert.Equal(FailureKind.TlsAlert, e.Failure.Kind);
        Assert.Contains("handshake_failure (40)", e.Failure.Message);
    }

    private static async Task<EngineTlsSession> ConnectAsync(int port, List<byte[]> presented)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream(); // owned by the session's stream, or closed here on failure
        try
        {
            return await EngineTlsClient.HandshakeAsync(stream, "localhost", null, ScanLimits.Default, presented,
                CancellationToken.None);
        }
        catch
        {
            await stream.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (!text.ToString().Contains('\n'))
        {
            var n = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, n);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString().TrimEnd('\n', '\r');
    }
}
