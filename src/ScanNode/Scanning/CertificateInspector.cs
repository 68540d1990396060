using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>
/// Everything about an endpoint's certificates after its session: the per-key-type chains and OCSP staples of
/// TLS ≤ 1.2 (<see cref="KeyTypeChainProbe"/>, its rule bounds the extra connections to two), DANE
/// (<see cref="DaneLookup"/>), then the assessment of the chain — the session's (SslStream, the only view of a
/// TLS 1.3 chain), or the first plaintext TLS 1.2 chain when the session got none, or the chain the assessment's own
/// handshakes received (SSLv3, SSLv2) when neither did — with the SRV target as an
/// extra reference identity only when DNSSEC and DANE allow it (RFC 7673 §5), the chain walk and the staple facts.
/// Each part is optional, so the pipeline can run with any subset (tests, <c>--connect</c>).
/// </summary>
public sealed class CertificateInspector(
    CertificateAssessor assessor,
    TrustStore anchors,
    KeyTypeChainProbe? keyTypes = null,
    Func<XmppEndpoint, ITlsConnectionFactory>? connections = null,
    DaneLookup? dane = null,
    TimeProvider? clock = null,
    AiaIssuerFetcher? aia = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <param name="endpoint">The endpoint.</param>
    /// <param name="session">The session (its chain as sent, and whether it reached TLS).</param>
    /// <param name="srvDnssec">Whether the SRV answer was DNSSEC-validated.</param>
    /// <param name="cancellationToken">Cancels the inspection.</param>
    /// <param name="assessment">The assessment, when it ran: no ECDSA suite means no ECDSA hello.</param>
    /// <param name="assessmentChain">The chain the assessment's handshakes received: the last resort for a server no
    /// TLS library finishes a handshake with and no TLS 1.2 hello gets a chain from (SSLv2/SSLv3-only).</param>
    public async Task<CertificateReport?> InspectAsync(XmppEndpoint endpoint, TlsSessionResult session, DnssecStatus srvDnssec,
        CancellationToken cancellationToken, TlsAssessmentReport? assessment = null, IReadOnlyList<byte[]>? assessmentChain = null)
    {
        IReadOnlyList<KeyTypeHandshake> handshakes = keyTypes is not null && connections is not null && ReachedTls(session)
            ? await keyTypes.RunAsync(connections(endpoint), endpoint.Domain, cancellationToken, EcdsaAccepted(assessment)).ConfigureAwait(false)
            : [];
        var served = handshakes.Where(h => h.Outcome == KeyTypeOutcome.Served).ToList();
        var (chain, source) = session.PresentedChain.Count > 0
            ? (session.PresentedChain, ChainSource.Session)
            : served.Count > 0 ? (served[0].Chain, ChainSource.Tls12Handshake)
            : assessmentChain is { Count: > 0 } ? (assessmentChain, ChainSource.Assessment)
            : ([], ChainSource.Session);
        if (chain.Count == 0)
        {
            return null;
        }

        var daneFacts = dane is null ? null : await dane.CheckAsync(endpoint, srvDnssec, chain, cancellationToken).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var report = assessor.Assess(chain, endpoint.Domain, endpoint.Mode, endpoint.Target, daneFacts?.SrvTargetIdentityAllowed ?? false);
        if (aia is not null)
        {
            // Incomplete chain or unknown CA: only the issuer's AIA URL can tell (opt-in: it contacts a third party).
            report = await AiaCompletion.CompleteAsync(report, chain, anchors, now, aia, cancellationToken).ConfigureAwait(false);
        }
        var walk = ChainWalkBuilder.Build(chain, anchors, now);
        var leafSha = walk.Entries.FirstOrDefault(e => e.SentIndex == 0)?.Sha256;

        var keyTypeReports = handshakes.Select(h => KeyTypeReport(h, leafSha, endpoint, now)).ToList();
        var sameLeaf = served.FirstOrDefault(h => LeafSha(h) == leafSha);
        var ocsp = sameLeaf is not null ? Staple(sameLeaf, now)
            : handshakes.Count == 0 ? new OcspStapleFacts(OcspStapleStatus.NotChecked, "no TLS ≤ 1.2 handshake was tried (TLS 1.3 staples are encrypted)")
            : new OcspStapleFacts(OcspStapleStatus.NotChecked, served.Count == 0
                ? "no TLS ≤ 1.2 handshake got a chain (a TLS-1.3-only server staples inside the encrypted Certificate message)"
                : "no TLS ≤ 1.2 handshake got the session's leaf");

        return report with
        {
            Source = source,
            Walk = walk.Entries,
            KeyTypeChains = handshakes.Count > 0 ? keyTypeReports : null,
            Dane = daneFacts,
            Ocsp = ocsp,
        };
    }

    /// <summary>The session got as far as TLS: a chain, a negotiated protocol, or a failure inside the handshake.</summary>
    private static bool ReachedTls(TlsSessionResult session) =>
        session.ReachedHandshake || session.PresentedChain.Count > 0 || session.Protocol is not null
        || session.Failure?.Kind is FailureKind.TlsAlert or FailureKind.TlsHandshakeFailed;

    private KeyTypeChainReport KeyTypeReport(KeyTypeHandshake h, string? sessionLeafSha, XmppEndpoint endpoint, DateTimeOffset now)
    {
        if (h.Outcome != KeyTypeOutcome.Served)
        {
            return new KeyTypeChainReport(h.KeyType, h.Outcome, null, null, [], null, null, null, null, null, h.Failure);
        }

        var walk = ChainWalkBuilder.Build(h.Chain, anchors, now);
        var hashes = walk.Entries.Where(e => e.SentIndex is not null).Select(e => e.Sha256).ToList();
        var same = hashes.Count > 0 && hashes[0] == sessionLeafSha;
        var other = same ? null : assessor.Assess(h.Chain, endpoint.Domain, endpoint.Mode);
        var suite = h.CipherSuite is { } code ? new CipherSuiteName(code, CipherSuiteRegistry.NameOf(code)) : null;
        return new KeyTypeChainReport(h.KeyType, h.Outcome, VersionName(h.Version), suite, hashes, same,
            other?.Chain, other?.Trust, other?.Identity, same ? null : Staple(h, now), h.Failure);
    }

    private OcspStapleFacts Staple(KeyTypeHandshake h, DateTimeOffset now)
    {
        if (h.Staple is null)
        {
            return new OcspStapleFacts(OcspStapleStatus.NotStapled, "status_request offered; no staple sent");
        }

        var walk = ChainWalkBuilder.Build(h.Chain, anchors, now);
        return walk.Leaf is null
            ? new OcspStapleFacts(OcspStapleStatus.Unparseable, "the leaf cannot be parsed", Der: h.Staple)
            : OcspStapleParser.Analyze(h.Staple, walk.Leaf, walk.LeafIssuer, now);
    }

    private string? LeafSha(KeyTypeHandshake h) =>
        h.Chain.Count > 0 && CertificateParser.TryParse(h.Chain[0], out var facts, out _) ? facts!.Sha256 : null;

    private static string VersionName(ushort version) => version switch
    {
        0x0304 => "TLSv1.3",
        0x0303 => "TLSv1.2",
        0x0302 => "TLSv1.1",
        0x0301 => "TLSv1.0",
        0x0300 => "SSLv3",
        _ => $"0x{version:X4}",
    };

    /// <summary>Whether the assessment saw an ECDSA-authenticated suite accepted at TLS ≤ 1.2; null without one.</summary>
    private static bool? EcdsaAccepted(TlsAssessmentReport? assessment) =>
        assessment is { Status: ProbeStatus.Completed, Protocols.Count: > 0 }
            ? assessment.Protocols.Where(p => p.Supported && p.Protocol != "TLSv1.3")
                .SelectMany(p => p.Suites)
                .Any(s => CipherSuiteRegistry.Find((ushort)s.Code)?.Authentication == Authentication.Ecdsa)
            : null;
}
