using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>How one handshake attempt ended.</summary>
public enum HandshakeOutcome
{
    /// <summary>The server chose parameters (ServerHello; for TLS ≤ 1.2 read up to ServerHelloDone).</summary>
    ServerHello,
    /// <summary>TLS 1.3 HelloRetryRequest: the server accepted the suite but wants another key share.</summary>
    HelloRetryRequest,
    /// <summary>The server answered with an alert.</summary>
    Alert,
    /// <summary>SSL 2.0 SERVER-HELLO.</summary>
    Ssl2ServerHello,
    /// <summary>SSL 2.0 ERROR message.</summary>
    Ssl2Error,
    /// <summary>No usable answer: see <see cref="HandshakeResult.Failure"/> (closed, timeout, garbage, limit).</summary>
    Failed,
}

/// <summary>
/// What one ClientHello got back: facts and evidence, no judgement.
/// </summary>
public sealed record HandshakeResult
{
    public required HandshakeOutcome Outcome { get; init; }

    public ServerHello? ServerHello { get; init; }

    /// <summary>The ServerHello handshake message as received (evidence for re-parsing later).</summary>
    public ImmutableArray<byte>? ServerHelloRaw { get; init; }

    /// <summary>The chain as sent (TLS ≤ 1.2 only; TLS 1.3 certificates are encrypted).</summary>
    public ImmutableArray<ImmutableArray<byte>> Certificates { get; init; } = [];

    public ServerKeyExchange? ServerKeyExchange { get; init; }

    public CertificateStatusMessage? CertificateStatus { get; init; }

    /// <summary>The server asked for a client certificate.</summary>
    public bool CertificateRequested { get; init; }

    /// <summary>ServerHelloDone was read (the TLS ≤ 1.2 first flight is complete).</summary>
    public bool SawServerHelloDone { get; init; }

    public TlsAlert? Alert { get; init; }

    public Ssl2ServerHello? Ssl2ServerHello { get; init; }

    /// <summary>Why the attempt failed, or what went wrong after a ServerHello (e.g. an unparsable SKE).</summary>
    public ProbeFailure? Failure { get; init; }

    /// <summary>Bytes received from the server.</summary>
    public long BytesReceived { get; init; }

    /// <summary>The negotiated version (0 if none).</summary>
    public ushort NegotiatedVersion => ServerHello?.NegotiatedVersion ?? (Ssl2ServerHello is { IsError: false } ? (ushort)2 : (ushort)0);

    /// <summary>The chosen suite (ServerHello or HRR), if any.</summary>
    public ushort? CipherSuite => ServerHello?.CipherSuite;

    public static HandshakeResult Failed(ProbeFailure failure, long bytes = 0) =>
        new() { Outcome = HandshakeOutcome.Failed, Failure = failure, BytesReceived = bytes };
}
