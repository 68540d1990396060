namespace XmppScanCluster.Shared.Certificates;

/// <summary>Why a presented chain is not (cleanly) trusted. Each is a fact; grading decides the weight.</summary>
public enum TrustProblem
{
    /// <summary>A certificate on the path has notAfter before the scan time.</summary>
    Expired,

    /// <summary>A certificate on the path has notBefore after the scan time.</summary>
    NotYetValid,

    /// <summary>The leaf is self-signed and is not itself a trust anchor.</summary>
    SelfSignedLeaf,

    /// <summary>The presented chain ends in a self-signed root the trust store does not hold.</summary>
    SelfSignedRootInChainUnknown,

    /// <summary>The top certificate's issuer is neither presented nor known to the trust store.</summary>
    UnknownIssuer,

    /// <summary>An intermediate was not sent, but the store (or an AIA caIssuers URL) shows it exists.</summary>
    IncompleteChain,

    /// <summary>The presented certificates are not in leaf-to-root order.</summary>
    ChainOutOfOrder,

    /// <summary>Presented certificates that are not on the built path.</summary>
    ExtraCertificates,

    /// <summary>MD5 or SHA-1 signature on a non-anchor certificate of the path.</summary>
    WeakSignature,

    /// <summary>RSA/DSA key below 2048 bits or EC key below 224 bits on the path.</summary>
    KeyTooSmall,

    /// <summary>A signature on the path does not verify with its issuer's key.</summary>
    InvalidSignature,

    /// <summary>A certificate used as an issuer lacks basicConstraints cA=TRUE.</summary>
    NotACa,

    /// <summary>The server sent no certificate.</summary>
    EmptyChain,

    /// <summary>A presented certificate could not be parsed.</summary>
    Unparseable,
}

/// <summary>One trust problem with a human message (dates, algorithms, sizes) and the presented-chain index if any.</summary>
public sealed record TrustIssue(TrustProblem Problem, string Message, int? ChainIndex);

/// <summary>
/// The outcome of PKIX-style path building without network access. <see cref="Trusted"/> means a path to an
/// anchor exists, every certificate on it is within validity and every signature verifies; weak signatures
/// and small keys are reported as issues but do not by themselves make the chain untrusted (grading caps).
/// </summary>
/// <param name="Trusted">A valid path to an anchor exists, in validity, all signatures verifying, all issuers CAs.</param>
/// <param name="Issues">Every problem found, in path order.</param>
/// <param name="PathSha256">SHA-256 of each certificate of the built path, leaf first, anchor last if reached.</param>
/// <param name="AnchorSubject">Subject of the trust anchor reached, if any.</param>
public sealed record TrustVerdict(bool Trusted, IReadOnlyList<TrustIssue> Issues, IReadOnlyList<string> PathSha256, string? AnchorSubject)
{
    /// <summary>True when an issue of the given kind was reported.</summary>
    public bool Has(TrustProblem problem) => Issues.Any(i => i.Problem == problem);
}
