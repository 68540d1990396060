namespace XmppScanCluster.ScanNode;

/// <summary>
/// Every byte budget and deadline a scan applies to what servers send, in one place (the idea of Kestrel's
/// KestrelServerLimits and zgrab2's conn.go): nothing read from the network is buffered without a bound.
/// </summary>
public sealed record ScanLimits
{
    /// <summary>TCP connect deadline.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline for any single read (stream header, features, proceed, one TLS flight).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline for everything done on one connection.</summary>
    public TimeSpan ConnectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline for one DNS query attempt (per resolver, per try).</summary>
    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>DNS tries per resolver before moving on.</summary>
    public int DnsRetries { get; init; } = 2;

    /// <summary>Bytes of XMPP accepted before TLS starts (stream header + features + proceed).</summary>
    public int MaxXmppPreambleBytes { get; init; } = 64 * 1024;

    /// <summary>Nesting depth of XMPP elements accepted (a stanza bomb stops here).</summary>
    public int MaxXmlDepth { get; init; } = 32;

    /// <summary>Largest TLS record accepted: 2^14 + 2048 (RFC 5246 §6.2.3 TLSCiphertext bound).</summary>
    public int MaxTlsRecordBytes { get; init; } = (1 << 14) + 2048;

    /// <summary>Largest TLS handshake message accepted (a certificate chain fits comfortably).</summary>
    public int MaxHandshakeMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Bytes read on one connection in total before it is abandoned.</summary>
    public int MaxBytesPerConnection { get; init; } = 256 * 1024;

    /// <summary>The clock of every connection's read, write and connection deadlines (<see cref="Transport.BoundedStream"/>):
    /// the system clock; a fake one in tests, so that a timeout is decided on fake time.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Defaults suitable for a single interactive scan.</summary>
    public static ScanLimits Default { get; } = new();
}
