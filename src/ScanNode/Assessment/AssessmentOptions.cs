namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>Choices for one TLS assessment: what to measure and how politely.</summary>
public sealed record AssessmentOptions
{
    /// <summary>Suites per ClientHello with the windowed full hello (some servers choke on long lists).</summary>
    public int MaxSuitesPerHello { get; init; } = 64;

    /// <summary>
    /// Offer every candidate suite of a protocol in one ClientHello (when the server answers it): removal in that
    /// single offer yields the server's whole order, one handshake per accepted suite plus one refusal. Off, or
    /// on a server that does not answer the long hello, windows of <see cref="MaxSuitesPerHello"/> are offered and
    /// their orders merged with two-suite offers.
    /// </summary>
    public bool OneOfferPerProtocol { get; init; } = true;

    /// <summary>Suites per ClientHello after falling back to the compact hello (kept well under 256 bytes).</summary>
    public int CompactSuitesPerHello { get; init; } = 24;

    /// <summary>
    /// Also offer suites that need client credentials the scanner never has (PSK, SRP, Kerberos, ECCPWD). A
    /// server can only complete them with a PSK identity, SRP user, ticket or password, so by default they are
    /// not offered; on means exact results for them too, at about three more refusals per version.
    /// </summary>
    public bool IncludeCredentialSuites { get; init; }

    /// <summary>Measure the TLS 1.2 signature algorithms (one connection per accepted scheme).</summary>
    public bool SignatureAlgorithms { get; init; } = true;

    /// <summary>Minimum time between two connections to the endpoint (rate-limited servers); 0 for interactive scans.</summary>
    public TimeSpan MinimumSpacing { get; init; } = TimeSpan.Zero;

    /// <summary>After the assessment, run the vulnerability and behaviour probes (about ten connections).</summary>
    public bool Vulnerabilities { get; init; } = true;

    /// <summary>After the assessment, replay every client profile (one connection each).</summary>
    public bool ClientSimulation { get; init; } = true;

    /// <summary>
    /// Connections open at once to the endpoint (1–4; 1 = strictly sequential). From 2 on, independent parts of
    /// the assessment run in two lanes (TLS 1.2 and its curves and signature algorithms / the other versions,
    /// SSLv2 and the TLS 1.3 groups): the same offers and connection counts, about half the wall time. nmap's
    /// ssl-enum-ciphers uses 2 by default.
    /// </summary>
    public int MaxConnectionsPerServer { get; init; } = 1;

    public static AssessmentOptions Default { get; } = new();
}
