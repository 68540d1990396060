using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// How an endpoint's TLS assessment relates to another endpoint's (issue 14, assessment sharing): one TLS service is
/// often reached through several domains on one address and port, and one server's STARTTLS, direct-TLS, c2s and s2s
/// ports usually share one TLS configuration. The first endpoint of an address gets the full enumeration; the others
/// send a few hellos that the full one already sent (same version, suites, groups and signature algorithms) and
/// compare the answers. All answers equal: the source's protocols, suites, key exchange and signature algorithms
/// are this endpoint's facts too (they grade exactly like the source's); its own connections, chain and session
/// consistency stay its own. Any answer different: the endpoint was assessed on its own, and this record says why.
/// </summary>
/// <param name="Source">The endpoint whose full assessment was reused or compared with.</param>
/// <param name="Verified">Every verification hello got the answer the source got: the facts are the source's.
/// False: at least one differed and the report holds this endpoint's own full assessment.</param>
/// <param name="Hellos">The verification hellos in the order sent (sending stops at the first difference).</param>
public sealed record AssessmentSharing(SharedSource Source, bool Verified, IReadOnlyList<VerificationHello> Hellos);

/// <summary>The endpoint whose full assessment is shared.</summary>
public sealed record SharedSource(string Domain, XmppMode Mode, TlsTransport Transport, string Address, int Port)
{
    /// <summary>"modern.test c2s 127.1.0.10:5222 (STARTTLS)", as the reports show it.</summary>
    public override string ToString() =>
        $"{Domain} {(Mode == XmppMode.S2S ? "s2s" : "c2s")} {(Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]" : Address)}:{Port} "
        + $"({(Transport == TlsTransport.DirectTls ? "direct TLS" : "STARTTLS")})";
}

/// <summary>One verification hello: what it is, the source's answer, this endpoint's answer.</summary>
/// <param name="Hello">What the hello tests: "TLSv1.2 first offer", "TLSv1.2 last accepted suite", "TLSv1.2 unaccepted suites",
/// "TLSv1.1 refused".</param>
/// <param name="Expected">The source's answer: "TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 ECDH x25519", "alert handshake_failure".</param>
/// <param name="Answered">This endpoint's answer, in the same words.</param>
/// <param name="Match">Equal answers.</param>
public sealed record VerificationHello(string Hello, string Expected, string Answered, bool Match);
