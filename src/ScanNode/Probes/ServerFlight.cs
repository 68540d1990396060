using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// The pure part of a handshake probe: takes the server's messages one by one and says when the first flight
/// is over (ServerHelloDone, an alert, an HRR, or a TLS 1.3 ServerHello after which all is encrypted).
/// No I/O, so it is tested with fixtures.
/// </summary>
internal sealed class ServerFlight
{
    private HandshakeResult _result = new() { Outcome = HandshakeOutcome.Failed };
    private bool _sawServerHello;
    private int _warnings;

    /// <summary>Warning alerts tolerated in one flight.</summary>
    private const int MaxWarningAlerts = 8;

    /// <summary>Feeds one message; true when the flight is over and <see cref="Result"/> is final.</summary>
    public bool Accept(TlsMessage message)
    {
        switch (message.ContentType)
        {
            case TlsContentType.Alert:
                var alert = HandshakeMessageParser.ParseAlert(message.Body);
                if (!alert.IsComplete)
                {
                    return Stop(FailureKind.ProtocolError, "malformed alert");
                }

                if (!alert.Value!.IsFatal)
                {
                    // RFC 5246 §7.2.2: a warning alert does not end the connection, so it is no refusal. A close_notify
                    // is a close; other warnings are noted and the flight read on, up to a bound (a storm is garbage).
                    if (alert.Value.Description == TlsAlertDescription.CloseNotify)
                    {
                        return Stop(FailureKind.ConnectionClosed, "the server sent close_notify without answering");
                    }

                    _result = _result with { Alert = alert.Value };
                    return ++_warnings > MaxWarningAlerts
                        && Stop(FailureKind.ProtocolError, $"{_warnings} warning alerts ({alert.Value.DescriptionName}) and no answer");
                }

                _result = _result with
                {
                    Outcome = _sawServerHello ? _result.Outcome : HandshakeOutcome.Alert,
                    Alert = alert.Value,
                    Failure = _sawServerHello ? new ProbeFailure(FailureKind.TlsAlert, alert.Value!.ToString()) : null,
                };
                return true;
            case TlsContentType.Handshake:
                return AcceptHandshake(message);
            case TlsContentType.ChangeCipherSpec or TlsContentType.ApplicationData when _sawServerHello:
                // Encrypted messages follow (TLS 1.3, or a resumed session): nothing more to read in clear.
                return true;
            default:
                return Stop(FailureKind.ProtocolError, $"unexpected {message.ContentType} record");
        }
    }

    /// <summary>The facts so far.</summary>
    public HandshakeResult Result => _result;

    /// <summary>Ends early (closed, timeout, garbage). After a ServerHello the facts stay, with the failure noted.</summary>
    public HandshakeResult Finish(ProbeFailure failure, long bytes)
    {
        _result = _sawServerHello
            ? _result with { Failure = _result.Failure ?? failure, BytesReceived = bytes }
            : HandshakeResult.Failed(failure, bytes) with { Alert = _result.Alert };
        return _result;
    }

    private bool AcceptHandshake(TlsMessage message)
    {
        var type = message.HandshakeType!.Value;
        if (!_sawServerHello)
        {
            if (type == TlsHandshakeType.HelloRequest)
            {
                return false; // RFC 5246 §7.4.1.1: may be ignored.
            }

            if (type != TlsHandshakeType.ServerHello)
            {
                return Stop(FailureKind.ProtocolError, $"{type} before ServerHello");
            }

            var sh = ServerHelloParser.Parse(message.Body);
            if (!sh.IsComplete)
            {
                return Stop(FailureKind.ProtocolError, "malformed ServerHello: " + sh.Error);
            }

            _sawServerHello = true;
            var hello = sh.Value!;
            _result = _result with
            {
                Outcome = hello.IsHelloRetryRequest ? HandshakeOutcome.HelloRetryRequest : HandshakeOutcome.ServerHello,
                ServerHello = hello,
                ServerHelloRaw = [.. message.Raw],
            };
            return hello.IsHelloRetryRequest || hello.NegotiatedVersion >= (ushort)TlsVersion.Tls13;
        }

        switch (type)
        {
            case TlsHandshakeType.Certificate:
                var cert = HandshakeMessageParser.ParseCertificate(message.Body);
                if (!cert.IsComplete)
                {
                    return Stop(FailureKind.ProtocolError, "malformed Certificate: " + cert.Error);
                }

                _result = _result with { Certificates = cert.Value!.Certificates };
                return false;
            case TlsHandshakeType.ServerKeyExchange:
                var suite = _result.ServerHello!.Suite;
                if (suite is null)
                {
                    return Stop(FailureKind.ProtocolError, "ServerKeyExchange for an unknown suite");
                }

                var ske = ServerKeyExchangeParser.Parse(message.Body, suite, _result.ServerHello.NegotiatedVersion);
                if (!ske.IsComplete)
                {
                    return Stop(FailureKind.ProtocolError, "malformed ServerKeyExchange: " + ske.Error);
                }

                _result = _result with { ServerKeyExchange = ske.Value };
                return false;
            case TlsHandshakeType.CertificateStatus:
                var status = HandshakeMessageParser.ParseCertificateStatus(message.Body);
                if (status.IsComplete)
                {
                    _result = _result with { CertificateStatus = status.Value };
                }

                return false;
            case TlsHandshakeType.CertificateRequest:
                _result = _result with { CertificateRequested = true };
                return false;
            case TlsHandshakeType.ServerHelloDone:
                _result = _result with { SawServerHelloDone = true };
                return true;
            default:
                return false;
        }
    }

    private bool Stop(FailureKind kind, string message)
    {
        _result = _sawServerHello
            ? _result with { Failure = new ProbeFailure(kind, message) }
            : HandshakeResult.Failed(new ProbeFailure(kind, message));
        return true;
    }
}
