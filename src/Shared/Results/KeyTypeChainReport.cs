using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Shared.Results;

/// <summary>How the chain of a <see cref="CertificateReport"/> was captured.</summary>
public enum ChainSource
{
    /// <summary>The ordinary SslStream session (OpenSSL's peer chain, wire order; the only way to see TLS 1.3's encrypted chain).</summary>
    Session,

    /// <summary>The plaintext Certificate message of a raw TLS ≤ 1.2 handshake (used when the session got no chain).</summary>
    Tls12Handshake,

    /// <summary>The Certificate message (or the SSLv2 SERVER-HELLO's certificate) of the assessment's own handshakes: no
    /// TLS library here finished a session and no TLS 1.2 key-type hello got a chain (an SSLv2/SSLv3-only server).</summary>
    Assessment,
}

/// <summary>What a TLS ≤ 1.2 hello offering only one authentication type got.</summary>
public enum KeyTypeOutcome
{
    /// <summary>The server chose a suite of that type and sent its chain.</summary>
    Served,

    /// <summary>The server refused (alert): it has no certificate or suite for that key type.</summary>
    NotServed,

    /// <summary>The server answered protocol_version: it speaks no TLS ≤ 1.2, so per-key-type chains cannot be told apart.</summary>
    NoTls12,

    /// <summary>Not tried (see the rule in the report message).</summary>
    Skipped,

    /// <summary>Connection or protocol failure.</summary>
    Failed,
}

/// <summary>
/// The chain a server sends to a TLS 1.2 client offering only <see cref="KeyType"/>-authenticated suites, and how it
/// compares with the session's chain. A server with both an RSA and an ECDSA certificate shows two different leaves here.
/// </summary>
/// <param name="KeyType">"ECDSA" or "RSA": the authentication of the offered suites.</param>
/// <param name="Outcome">Served, not served…</param>
/// <param name="Protocol">Negotiated version ("TLSv1.2", …).</param>
/// <param name="CipherSuite">The suite the server chose.</param>
/// <param name="ChainSha256">SHA-256 of each certificate as sent, leaf first.</param>
/// <param name="SameLeafAsSession">The leaf equals the session's leaf.</param>
/// <param name="Chain">Facts of the chain, only when its leaf differs from the session's (otherwise see the main chain).</param>
/// <param name="Trust">Trust verdict of that chain, only when the leaf differs.</param>
/// <param name="Identity">Identity match of that chain's leaf, only when the leaf differs.</param>
/// <param name="Ocsp">The staple sent with this chain (status_request is always offered), only when the leaf differs
/// (otherwise it is the report's own OCSP fact).</param>
/// <param name="Failure">Why the attempt failed or was refused.</param>
public sealed record KeyTypeChainReport(
    string KeyType,
    KeyTypeOutcome Outcome,
    string? Protocol,
    CipherSuiteName? CipherSuite,
    IReadOnlyList<string> ChainSha256,
    bool? SameLeafAsSession,
    IReadOnlyList<CertificateFacts>? Chain,
    TrustVerdict? Trust,
    IdentityMatch? Identity,
    OcspStapleFacts? Ocsp,
    string? Failure);
