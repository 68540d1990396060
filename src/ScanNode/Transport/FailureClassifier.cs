using System.Net.Sockets;
using System.Security.Authentication;
using System.Xml;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// The one place that turns an exception from a connection into a <see cref="ProbeFailure"/> (zgrab2's single
/// error classifier). TLS probes that read the stream from <see cref="XmppTlsConnector"/> can use it too.
/// </summary>
public static class FailureClassifier
{
    /// <summary>Classifies <paramref name="error"/>.</summary>
    /// <param name="error">What was thrown.</param>
    /// <param name="stream">The connection's stream, if there was one: its EOF flag separates "closed" from "malformed".</param>
    /// <param name="duringTlsHandshake">The error happened inside the TLS handshake.</param>
    public static ProbeFailure Classify(Exception error, BoundedStream? stream = null, bool duringTlsHandshake = false)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case XmppProtocolException x:
                    return x.Failure;
                case SessionEngine.EngineHandshakeException h:
                    return h.Failure;
                case DeadlineExceededException:
                    return new(FailureKind.Timeout, Stage(duringTlsHandshake) + e.Message);
                case ByteBudgetExceededException:
                    return new(FailureKind.LimitExceeded, Stage(duringTlsHandshake) + e.Message);
            }
        }
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException se) return FromSocket(se);
        }
        switch (error)
        {
            case XmlException when stream is { SawEof: true }:
                return new(FailureKind.ConnectionClosed, "connection closed in the middle of the XMPP stream");
            case XmlException xe:
                return new(FailureKind.ProtocolError, "malformed XML from the server: " + ServerText.Bound(xe.Message, 300));
            case AuthenticationException ae:
                return FromTls(ae);
            case IOException when OpenSslAlerts.ReceivedAlert(error) is { } alert:
                return new(FailureKind.TlsAlert, (duringTlsHandshake ? "TLS alert during the handshake: "
                    : "TLS alert after the handshake: ") + OpenSslAlerts.Describe(alert) + "; " + AllMessages(error));
            case IOException when duringTlsHandshake:
                return new(FailureKind.TlsHandshakeFailed, (stream is { SawEof: true }
                    ? "connection closed during the TLS handshake: " : "TLS handshake failed: ") + AllMessages(error));
            case IOException when stream is { SawEof: true }:
                return new(FailureKind.ConnectionClosed, "connection closed: " + AllMessages(error));
            case EndOfStreamException:
                return new(FailureKind.ConnectionClosed, "connection closed by the server");
            default:
                return new(duringTlsHandshake ? FailureKind.TlsHandshakeFailed : FailureKind.ProtocolError,
                    error.GetType().Name + ": " + AllMessages(error));
        }
    }

    private static string Stage(bool tls) => tls ? "during the TLS handshake: " : "";

    private static ProbeFailure FromSocket(SocketException se) => se.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => new(FailureKind.Refused, "connection refused"),
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.HostDown
            or SocketError.NetworkDown or SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported
            => new(FailureKind.Unreachable, se.SocketErrorCode + ": " + se.Message),
        SocketError.TimedOut => new(FailureKind.Timeout, "TCP timeout: " + se.Message),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown
            => new(FailureKind.ConnectionClosed, se.SocketErrorCode + ": " + se.Message),
        _ => new(FailureKind.ConnectionClosed, se.SocketErrorCode + ": " + se.Message),
    };

    private static ProbeFailure FromTls(AuthenticationException ae) => OpenSslAlerts.ReceivedAlert(ae) is { } alert
        ? new(FailureKind.TlsAlert, "TLS alert " + OpenSslAlerts.Describe(alert) + "; " + AllMessages(ae))
        : new(FailureKind.TlsHandshakeFailed, "TLS handshake failed: " + AllMessages(ae));

    private static string AllMessages(Exception error)
    {
        var parts = new List<string>();
        for (var e = error; e is not null && parts.Count < 4; e = e.InnerException) parts.Add(e.Message);
        return ServerText.Bound(string.Join(" <- ", parts), 500);
    }
}
