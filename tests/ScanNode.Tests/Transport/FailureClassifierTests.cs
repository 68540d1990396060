using System.Net.Sockets;
using System.Security.Authentication;
using System.Xml;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Transport;

public class FailureClassifierTests
{
    // The shape .NET 10 on Linux produces (seen against `openssl s_server -Verify 1` with TLS 1.3).
    private static IOException PostHandshakeAlert() => new("The decryption operation failed, see inner exception.",
        new Exception("Decrypt failed with OpenSSL error - SSL_ERROR_SSL.",
            new Exception("error:0A00045C:SSL routines::tlsv13 alert certificate required")));

    [Fact]
    public void AlertInTheExceptionChain_isFoundByItsOpenSslCode()
    {
        Assert.Equal(116, OpenSslAlerts.ReceivedAlert(PostHandshakeAlert()));
        var failure = FailureClassifier.Classify(PostHandshakeAlert());
        Assert.Equal(FailureKind.TlsAlert, failure.Kind);
        Assert.Contains("certificate_required (116)", failure.Message);
    }

    [Theory]
    // Prosody 0.12 on a direct-TLS port, SNI for a host it does not serve (the text has no "alert" in it).
    [InlineData("error:0A000458:SSL routines::tlsv1 unrecognized name", 112)]
    [InlineData("error:0A000410:SSL routines::sslv3 alert handshake failure", 40)]
    [InlineData("error:0A00042E:SSL routines::tlsv1 alert protocol version", 70)]
    [InlineData("error:0A00010B:SSL routines::wrong version number", null)]
    [InlineData("error:0A000086:SSL routines::certificate verify failed", null)]
    [InlineData("no OpenSSL code here", null)]
    public void OpenSslReasonCodes_mapToAlerts(string message, int? alert)
    {
        Assert.Equal(alert, OpenSslAlerts.ReceivedAlert(new AuthenticationException("Authentication failed", new Exception(message))));
    }

    [Fact]
    public void HandshakeAlert_isTlsAlert_otherAuthenticationErrors_handshakeFailed()
    {
        var alert = new AuthenticationException("Authentication failed",
            new Exception("error:0A000410:SSL routines::sslv3 alert handshake failure"));
        var other = new AuthenticationException("Authentication failed",
            new Exception("error:0A00010B:SSL routines::wrong version number"));

        Assert.Equal(FailureKind.TlsAlert, FailureClassifier.Classify(alert, duringTlsHandshake: true).Kind);
        Assert.Equal(FailureKind.TlsHandshakeFailed, FailureClassifier.Classify(other, duringTlsHandshake: true).Kind);
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, FailureKind.Refused)]
    [InlineData(SocketError.NetworkUnreachable, FailureKind.Unreachable)]
    [InlineData(SocketError.HostUnreachable, FailureKind.Unreachable)]
    [InlineData(SocketError.TimedOut, FailureKind.Timeout)]
    [InlineData(SocketError.ConnectionReset, FailureKind.ConnectionClosed)]
    public void SocketErrors_mapToKinds(SocketError error, FailureKind kind)
    {
        Assert.Equal(kind, FailureClassifier.Classify(new SocketException((int)error)).Kind);
        Assert.Equal(kind, FailureClassifier.Classify(new IOException("wrapped", new SocketException((int)error))).Kind);
    }

    [Fact]
    public void OwnExceptions_winOverWrappers()
    {
        Assert.Equal(FailureKind.Timeout,
            FailureClassifier.Classify(new IOException("x", new DeadlineExceededException("read timed out")), duringTlsHandshake: true).Kind);
        Assert.Equal(FailureKind.LimitExceeded,
            FailureClassifier.Classify(new ByteBudgetExceededException("budget")).Kind);
    }

    [Fact]
    public void XmlError_isProtocolError_unlessThePeerClosed()
    {
        Assert.Equal(FailureKind.ProtocolError, FailureClassifier.Classify(new XmlException("bad")).Kind);
    }
}
