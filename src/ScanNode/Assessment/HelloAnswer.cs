using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// One answer to a ClientHello in words that compare: what a server chose (version, suite, key exchange group,
/// signature algorithm) or how it said no. Two endpoints with one TLS configuration give equal words to an equal
/// hello; a verification (<see cref="AssessmentVerifier"/>) compares nothing else.
/// </summary>
internal static class HelloAnswer
{
    /// <summary>"TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 ECDH x25519 sig rsa_pss_rsae_sha256",
    /// "TLSv1.3 TLS_AES_256_GCM_SHA384 retry x25519", "alert handshake_failure", "closed"; null for an answer
    /// that says nothing about the configuration (a timeout, garbage, a cancelled attempt).</summary>
    public static string? Describe(HandshakeResult r)
    {
        switch (r.Outcome)
        {
            case HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest:
                var words = $"{((TlsVersion)r.NegotiatedVersion).Name()} {(r.CipherSuite is { } s ? CipherSuiteRegistry.NameOf(s) : "no suite")}";
                if (r.Outcome == HandshakeOutcome.HelloRetryRequest)
                {
                    words += " retry";
                }

                if (AssessmentReportBuilder.KeyExchangeText(r) is { } kx)
                {
                    words += " " + kx;
                }

                // A custom DH prime has no name: its hash tells two of the same size apart (Prosody 0.12 gives its
                // direct-TLS ports no dhparam unless each has its own, TESTBED-NOTES).
                if (r.ServerKeyExchange is { Kind: ServerKeyExchangeKind.Dhe, DhP: { } p }
                    && WellKnownDhGroups.Identify(p.AsSpan().TrimStart((byte)0)) is null)
                {
                    words += " p#" + Convert.ToHexStringLower(SHA256.HashData(p.AsSpan().TrimStart((byte)0)))[..12];
                }

                if (r.ServerKeyExchange?.SignatureScheme is { } scheme)
                {
                    words += " sig " + SignatureSchemes.NameOf(scheme);
                }

                return words;
            case HandshakeOutcome.Alert:
                return "alert " + r.Alert!.DescriptionName;
            case HandshakeOutcome.Ssl2ServerHello or HandshakeOutcome.Ssl2Error:
                return "SSLv2 answer";
            default:
                // ejabberd 23.01 (fast_tls) refuses by closing without an alert: a close is its "no".
                return r.Failure?.Kind == FailureKind.ConnectionClosed ? "closed" : null;
        }
    }

    /// <summary>What <see cref="Describe"/> says when it has no words.</summary>
    public static string Unusable(HandshakeResult r) =>
        "no usable answer" + (r.Failure is { } f ? $" ({f.Kind}: {f.Message})" : string.Empty);
}
