using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Results;

/// <summary>Whose order decides a negotiation (suites, curves, groups).</summary>
public enum NegotiationOrder
{
    /// <summary>Fewer than two choices, or the answers did not allow a decision.</summary>
    Indeterminate,
    /// <summary>The server enforces its own order; the list is in that order.</summary>
    Server,
    /// <summary>The server takes the client's first acceptable choice; the list is in discovery order.</summary>
    Client,
    /// <summary>The same hello got different picks (a server choosing at random): no order, the list is in discovery order.</summary>
    Inconsistent,
}

/// <summary>
/// The wire-level TLS assessment of one endpoint: every protocol version, the suites each accepts (in server
/// order when the server has one), key exchange groups, signature algorithms, and what it cost in
/// connections. Facts only; grading reads them later.
/// </summary>
/// <param name="Status">Completed, or Failed when not even one handshake got an answer.</param>
/// <param name="Failure">Why it failed or stopped early.</param>
/// <param name="HelloProfile"><c>full</c> (long ClientHello with the usual extensions, every candidate suite of a
/// protocol in one offer), <c>windowed</c> (the same hello with at most 64 suites, when the server did not answer
/// the one offer) or <c>compact</c> (short hello, few extensions) when it did not answer that either.</param>
/// <param name="FullHelloFailure">What the widest ClientHello got when a fallback was needed.</param>
/// <param name="Protocols">SSLv2 … TLS 1.3, oldest first.</param>
/// <param name="KeyExchange">DH groups seen, ECDHE curves, TLS 1.3 groups.</param>
/// <param name="SignatureAlgorithms">TLS 1.2 signature algorithms the server signs with, if measured.</param>
/// <param name="Connections">Connections per probe and in total, with the floor for exact results.</param>
/// <param name="ChainSha256">Evidence (additive, null in older results): SHA-256 (lower-case hex) of the certificates the
/// assessment's own handshakes received, leaf first — the plaintext Certificate message of the highest TLS ≤ 1.2 version
/// that sent one, else the SSLv2 SERVER-HELLO's certificate. The certificate of a server no TLS library finishes a
/// handshake with comes from here.</param>
/// <param name="Contradictions">Where the assessment disagrees with the endpoint's own session (it negotiated a
/// version or suite the assessment found refused): reported, never silently resolved.</param>
/// <param name="Sharing">Additive, null when the endpoint was assessed on its own without comparing: the full assessment of
/// another endpoint of the same TLS service reused after verification hellos, or the verification that failed and made
/// this one a full assessment of its own (<see cref="AssessmentSharing"/>).</param>
public sealed record TlsAssessmentReport(
    ProbeStatus Status,
    ProbeFailure? Failure,
    string HelloProfile,
    ProbeFailure? FullHelloFailure,
    IReadOnlyList<ProtocolAssessment> Protocols,
    KeyExchangeFacts KeyExchange,
    SignatureAlgorithmFacts? SignatureAlgorithms,
    ConnectionCounts Connections,
    IReadOnlyList<string>? Contradictions = null,
    IReadOnlyList<string>? ChainSha256 = null,
    AssessmentSharing? Sharing = null)
{
    /// <summary>An assessment that produced no facts (e.g. an <see cref="FailureKind.Internal"/> error): every
    /// protocol unknown, nothing absent.</summary>
    public static TlsAssessmentReport Failed(ProbeFailure failure) => new(ProbeStatus.Failed, failure, "full", null, [],
        new KeyExchangeFacts([], null, [], NegotiationOrder.Indeterminate, [], NegotiationOrder.Indeterminate), null,
        new ConnectionCounts(0, 0, []));
}

/// <summary>One protocol version.</summary>
/// <param name="Protocol">"SSLv2", "SSLv3", "TLSv1.0" … "TLSv1.3".</param>
/// <param name="Supported">The server negotiated exactly this version.</param>
/// <param name="SuiteOrder">Whose order picks the suite.</param>
/// <param name="Suites">Accepted suites: in server order when <paramref name="SuiteOrder"/> is Server.</param>
/// <param name="Ssl2CipherKinds">SSLv2 only: the cipher kinds the SERVER-HELLO listed.</param>
/// <param name="Refusal">How the server said no at the end ("alert protocol_version", "negotiated TLSv1.2", "closed").</param>
/// <param name="CandidatesTested">Suites offered over the enumeration.</param>
/// <param name="Connections">Connections this version cost.</param>
/// <param name="ServerHelloHex">Evidence: the first ServerHello handshake message of this version, hex.</param>
/// <param name="Errors">Attempts that failed for another reason than a refusal (timeouts, garbage).</param>
/// <param name="Inconclusive">Not supported could not be established: why ("inconclusive: server closed the connection;
/// the control hello … got no answer either", "server chose 0x1301, which was not offered"). Null when
/// <paramref name="Supported"/> is a fact. Grading never reads an inconclusive version as absent.</param>
public sealed record ProtocolAssessment(
    string Protocol,
    bool Supported,
    NegotiationOrder SuiteOrder,
    IReadOnlyList<AcceptedSuite> Suites,
    IReadOnlyList<Ssl2CipherKind> Ssl2CipherKinds,
    string? Refusal,
    int CandidatesTested,
    int Connections,
    string? ServerHelloHex,
    IReadOnlyList<ProbeFailure> Errors,
    string? Inconclusive = null)
{
    /// <summary>The server said no (an alert, or a close confirmed by a control hello): absence is a fact.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Refused => !Supported && Inconclusive is null && Refusal is not null && Refusal != "not tested";
}

/// <summary>One accepted suite with the facts a suite table shows.</summary>
/// <param name="Code">IANA code.</param>
/// <param name="Name">IANA name.</param>
/// <param name="Bits">Effective symmetric key bits.</param>
/// <param name="ForwardSecrecy">Ephemeral key exchange.</param>
/// <param name="Aead">Authenticated encryption.</param>
/// <param name="KeyExchange">What this suite's handshake used: "ECDH x25519", "DH 2048 ffdhe2048", "RSA 512 (export)".</param>
public sealed record AcceptedSuite(int Code, string Name, int Bits, bool ForwardSecrecy, bool Aead, string? KeyExchange)
{
    /// <summary>The code as written in registries: 0xC02F.</summary>
    public string Hex => $"0x{Code:X4}";
}

/// <summary>An SSLv2 cipher kind (24-bit code).</summary>
public sealed record Ssl2CipherKind(int Code, string Name, int Bits);

/// <summary>A named group or signature scheme by code and name.</summary>
public sealed record NamedCode(int Code, string Name)
{
    public string Hex => $"0x{Code:X4}";
}

/// <summary>A finite-field DH group a server used, identified by its prime when well known.</summary>
/// <param name="Bits">Bits of p.</param>
/// <param name="Name">Well-known name (<c>ffdhe2048</c>, <c>oakley_group_2</c>, …) or null for a custom prime.</param>
/// <param name="Source">Where the well-known prime is published.</param>
/// <param name="Origin">rfc2409 / rfc3526 / rfc5114 / rfc7919 / common_weak, or null.</param>
/// <param name="PrimeSha256">SHA-256 of p (big-endian, no leading zeros), hex: compares custom primes across servers.</param>
/// <param name="Generator">g in hex.</param>
/// <param name="Protocols">Versions it was seen at.</param>
public sealed record DhGroupFacts(
    int Bits,
    string? Name,
    string? Source,
    string? Origin,
    string PrimeSha256,
    string Generator,
    IReadOnlyList<string> Protocols);

/// <summary>Key exchange groups.</summary>
/// <param name="DhGroups">Every distinct DH group seen in a ServerKeyExchange.</param>
/// <param name="EcdheProtocol">The version the ECDHE curves were measured at (the highest ≤ TLS 1.2 with an ECDHE suite).</param>
/// <param name="EcdheCurves">Curves the server accepts for ECDHE, in its order when <paramref name="EcdheCurveOrder"/> is Server.</param>
/// <param name="EcdheCurveOrder">Whose order picks the curve.</param>
/// <param name="Tls13Groups">TLS 1.3 groups (learned by HelloRetryRequest), in server order when enforced.</param>
/// <param name="Tls13GroupOrder">Whose order picks the TLS 1.3 group.</param>
public sealed record KeyExchangeFacts(
    IReadOnlyList<DhGroupFacts> DhGroups,
    string? EcdheProtocol,
    IReadOnlyList<NamedCode> EcdheCurves,
    NegotiationOrder EcdheCurveOrder,
    IReadOnlyList<NamedCode> Tls13Groups,
    NegotiationOrder Tls13GroupOrder);

/// <summary>Signature algorithms the server signs its key exchange with, when offered alone.</summary>
/// <param name="Protocol">Where measured (TLSv1.2: TLS 1.3 signatures are encrypted).</param>
/// <param name="Accepted">In discovery order.</param>
public sealed record SignatureAlgorithmFacts(string Protocol, IReadOnlyList<NamedCode> Accepted);

/// <summary>Connections the assessment opened: the cost XMPP servers' rate limits see.</summary>
/// <param name="Total">Every connection opened (TCP + XMPP preamble + one ClientHello).</param>
/// <param name="Floor">The minimum for exact results: one per accepted suite per version, one refusal per
/// version, plus one per accepted curve/group and one refusal for each group list measured.</param>
/// <param name="PerProbe">Connections per probe, in run order.</param>
public sealed record ConnectionCounts(int Total, int Floor, IReadOnlyList<ProbeConnections> PerProbe);

/// <summary>Connections of one probe (e.g. <c>suites TLSv1.2</c>, <c>ecdhe_curves</c>).</summary>
public sealed record ProbeConnections(string Probe, int Connections);
