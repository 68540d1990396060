using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Shared.Results;

/// <summary>Outcome of one unit of scanning, the sslyze/zgrab2 idea: completed, failed (with a reason), or skipped.</summary>
public enum ProbeStatus
{
    Completed,
    Failed,
    Skipped,
}

/// <summary>
/// Everything <c>xmppscan scan</c> observed, as written by <c>--json</c>. Facts only: grading is applied to
/// these later. Versioned by <see cref="SchemaVersion"/>; within a version, changes are additive.
/// <see cref="Gradings"/> (additive) holds the policies' judgements of those facts, computed after the scan.
/// </summary>
public sealed record ScanReport(
    int SchemaVersion,
    string Tool,
    string ToolVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    ScanSettingsFacts Settings,
    IReadOnlyList<DomainReport> Domains,
    IReadOnlyList<GradingEntry>? Gradings = null);

/// <summary>The settings a scan ran with, so a stored result says how it was obtained.</summary>
public sealed record ScanSettingsFacts(IReadOnlyList<string> DnsServers, IReadOnlyList<string> TrustAnchorFiles, bool SystemTrustStore);

/// <summary>One service domain in one mode (c2s or s2s).</summary>
public sealed record DomainReport(
    string Domain,
    XmppMode Mode,
    ProbeStatus Status,
    ProbeFailure? Failure,
    DnsReport? Dns,
    IReadOnlyList<EndpointReport> Endpoints);

/// <summary>What DNS said about the service (RFC 6120 §3.2, XEP-0368).</summary>
public sealed record DnsReport(
    IReadOnlyList<SrvRecord> Srv,
    bool ServiceDisabled,
    bool AddressFallback,
    DnssecStatus SrvDnssec,
    IReadOnlyList<ProbeFailure> Problems);

/// <summary>One endpoint (SRV target × address × port × transport) and what it showed. The fields after
/// <c>ElapsedMs</c> are additive (null in older results and with <c>--quick</c>).</summary>
public sealed record EndpointReport(
    string Target,
    string Address,
    int Port,
    TlsTransport Transport,
    int Priority,
    int Weight,
    EndpointSource Source,
    ProbeStatus Status,
    ProbeFailure? Failure,
    XmppStreamFacts? Xmpp,
    TlsSessionReport? Tls,
    CertificateReport? Certificate,
    double ElapsedMs,
    TlsAssessmentReport? Assessment = null,
    VulnerabilityReport? Vulnerabilities = null,
    ClientSimulationReport? ClientSimulation = null);

/// <summary>What the session's TLS handshake negotiated; present whenever the session sent a ClientHello (the endpoint
/// was at the handshake), with a null <see cref="Protocol"/> when no TLS library here finished it.</summary>
/// <param name="Protocol">IANA-style name: "TLSv1.3", "TLSv1.2", …; null when no client finished the handshake.</param>
/// <param name="CipherSuite">The negotiated suite.</param>
/// <param name="Alpn">The ALPN protocol the server selected (direct TLS), if any.</param>
/// <param name="Client">Which client configuration completed the session (null in older results, or when none did).</param>
/// <param name="SystemDefaultFailure">Why the platform's default client could not finish the handshake, when it could not
/// (the session then retried with <see cref="SessionClient.Observation"/>).</param>
public sealed record TlsSessionReport(string? Protocol, CipherSuiteName? CipherSuite, string? Alpn,
    SessionClient? Client = null, ProbeFailure? SystemDefaultFailure = null);

/// <summary>Which TLS client configuration completed an endpoint's session.</summary>
public enum SessionClient
{
    /// <summary>The platform's default client, .NET's SslStream as OpenSSL 3 configures it (TLS 1.2+, forward-secret
    /// suites): what an up-to-date client negotiates. Its ClientHello is sent by the scanner's own TLS engine, which
    /// finishes TLS 1.3 and the TLS 1.2 ECDHE suites itself and leaves the rest to SslStream.</summary>
    SystemDefault,

    /// <summary>SslStream accepting every protocol and suite the platform's OpenSSL has, at security level 0 — for
    /// observation only (the XMPP stream after TLS, the chain as sent); trust is never decided by it.</summary>
    Observation,
}

/// <summary>A cipher suite by IANA code and name.</summary>
public sealed record CipherSuiteName(int Code, string Name)
{
    /// <summary>The code as written in registries: 0xC02F.</summary>
    public string Hex => $"0x{Code:X4}";
}

/// <summary>The chain as sent, its trust verdict and the XMPP identity match; DANE, OCSP stapling and the
/// per-key-type chains when the scan looked (the fields after <c>ParseErrors</c> are additive, null in older results).</summary>
/// <param name="Chain">Facts of each certificate as sent, leaf first.</param>
/// <param name="Trust">Path building to the configured anchors.</param>
/// <param name="Identity">The leaf against the service domain (null when the leaf cannot be parsed).</param>
/// <param name="ParseErrors">Certificates that could not be parsed, by index.</param>
/// <param name="Source">How <see cref="Chain"/> was captured.</param>
/// <param name="Walk">The chain walk: as sent, then path certificates not sent (from the trust store).</param>
/// <param name="KeyTypeChains">TLS 1.2 hellos offering only ECDSA, then only RSA suites (see <c>KeyTypeChainProbe</c> for the rule).</param>
/// <param name="Dane">TLSA at the SRV target and its match.</param>
/// <param name="Ocsp">The OCSP staple sent with the session's leaf.</param>
/// <param name="AiaFetches">AIA caIssuers fetches made for a missing issuer (only with <c>--fetch-aia</c>).</param>
public sealed record CertificateReport(
    IReadOnlyList<CertificateFacts> Chain,
    TrustVerdict Trust,
    IdentityMatch? Identity,
    IReadOnlyList<string> ParseErrors,
    ChainSource? Source = null,
    IReadOnlyList<ChainWalkEntry>? Walk = null,
    IReadOnlyList<KeyTypeChainReport>? KeyTypeChains = null,
    DaneFacts? Dane = null,
    OcspStapleFacts? Ocsp = null,
    IReadOnlyList<AiaFetchFacts>? AiaFetches = null);
