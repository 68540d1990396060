using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>The engine's handshake ended, already classified where it met the problem.</summary>
/// <param name="failure">What a report says.</param>
/// <param name="cannotFinish">True when the server did nothing wrong and a full TLS library could go on (a group or
/// version this engine does not do): the caller then runs the same session on SslStream.</param>
internal sealed class EngineHandshakeException(ProbeFailure failure, bool cannotFinish = false) : IOException(failure.Message)
{
    public ProbeFailure Failure { get; } = failure;

    public bool CannotFinish { get; } = cannotFinish;

    public static EngineHandshakeException Protocol(string message) => new(new ProbeFailure(FailureKind.TlsHandshakeFailed, message));

    public static EngineHandshakeException Unsupported(string message) =>
        new(new ProbeFailure(FailureKind.TlsHandshakeFailed, "this client's engine cannot finish: " + message), cannotFinish: true);
}

/// <summary>The peer sent a TLS alert (RFC 8446 §6) on an established session; close_notify is an end of stream instead.</summary>
internal sealed class TlsAlertReceivedException(int description)
    : IOException("the server sent the TLS alert " + Transport.OpenSslAlerts.Describe(description))
{
    public int Description { get; } = description;
}
