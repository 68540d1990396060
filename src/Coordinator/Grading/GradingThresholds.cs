using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>A score for values below <paramref name="Below"/> (bands are ascending; the first match wins).</summary>
public sealed record ScoreBand(int Below, int Score);

/// <summary>The lowest numeric score of a letter (bands descending).</summary>
public sealed record LetterBand(double MinScore, string Letter);

/// <summary>
/// Every number a policy version uses, as data: a stored census is re-graded by swapping this record, and a
/// policy change is a new record with a new version, not an edit of the rules.
/// </summary>
public sealed record GradingThresholds
{
    /// <summary>Protocol support score per version; the category is (best + worst) / 2.</summary>
    public required IReadOnlyDictionary<TlsVersion, int> ProtocolScores { get; init; }
    /// <summary>RSA/DSA (and RSA-equivalent) key bits → score.</summary>
    public required IReadOnlyList<ScoreBand> KeyBands { get; init; }
    public required int KeyTopScore { get; init; }
    /// <summary>DH parameter bits → score (xmppoke has its own cut-offs).</summary>
    public required IReadOnlyList<ScoreBand> DhBands { get; init; }
    public required int DhTopScore { get; init; }
    /// <summary>Elliptic-curve bits → RSA-equivalent bits, or null: EC keys score <see cref="EcKeyScore"/> and ECDHE is not scored.</summary>
    public IReadOnlyList<ScoreBand>? EcRsaEquivalent { get; init; }
    public int EcKeyScore { get; init; } = 100;
    public required int ExportKeyScore { get; init; }
    public required int AnonymousKeyScore { get; init; }
    /// <summary>Symmetric bits → score; the category is (strongest + weakest) / 2.</summary>
    public required IReadOnlyList<ScoreBand> CipherBands { get; init; }
    public required int CipherTopScore { get; init; }
    public double ProtocolWeight { get; init; } = 0.3;
    public double KeyExchangeWeight { get; init; } = 0.3;
    public double CipherWeight { get; init; } = 0.4;
    public required IReadOnlyList<LetterBand> Letters { get; init; }
    /// <summary>A zero in any category makes the total zero (SSL Labs; xmppoke did not).</summary>
    public bool ZeroCategoryZeroesTotal { get; init; } = true;
    /// <summary>Suites below this many bits (NULL and export excluded: their own rules) fail.</summary>
    public int MinSuiteBits { get; init; } = 112;
    public int RsaFailBelow { get; init; } = 1024;
    public int RsaCapBelow { get; init; } = 2048;
    public int DhCapBelow { get; init; } = 2048;
    /// <summary>MD5 is judged on the leaf only (xmppoke) or on every non-root certificate (SSL Labs).</summary>
    public bool Md5LeafOnly { get; init; }
    /// <summary>RC4 counts as "with modern TLS" from this version on.</summary>
    public TlsVersion Rc4ModernFrom { get; init; } = TlsVersion.Tls11;
    /// <summary>The cap for a SHA-1 signature on the leaf or an intermediate: A- (a warning, ssllabs-2009r as written)
    /// or T (xmppscan-2026: today's TLS libraries reject the chain).</summary>
    public string Sha1Cap { get; init; } = "A-";
    /// <summary>The TLS clients that refuse a SHA-1-signed leaf or intermediate (named in the T reason).</summary>
    public IReadOnlyList<string> Sha1RejectedBy { get; init; } = [];
    /// <summary>XMPP transport caps (xmppscan-2026; null = the policy ignores XMPP, as SSL Labs and xmppoke did).</summary>
    public XmppTransportCaps? Transport { get; init; }

    /// <summary>The score of <paramref name="value"/> in <paramref name="bands"/>.</summary>
    public static int Band(IReadOnlyList<ScoreBand> bands, int top, int value)
    {
        foreach (var band in bands)
        {
            if (value < band.Below) return band.Score;
        }

        return top;
    }
}

/// <summary>
/// The caps of the XMPP transport rules (reasoning and sources in the Grading README, section xmppscan-2026).
/// </summary>
/// <param name="StartTlsMissing">An advertised STARTTLS endpoint offers no STARTTLS: the stream stays in the clear.</param>
/// <param name="StartTlsOptional">STARTTLS offered but not required: an on-path attacker can strip it.</param>
/// <param name="CleartextAuthBeforeTls">c2s: a cleartext SASL mechanism offered before TLS: a password readable by a passive observer.</param>
/// <param name="S2sAuthBeforeTls">s2s: dialback offered before TLS on a server that does not require TLS: peer identity verified in the clear.</param>
/// <param name="CleartextMechanisms">SASL mechanisms that send the secret itself (upper case).</param>
public sealed record XmppTransportCaps(
    string StartTlsMissing,
    string StartTlsOptional,
    string CleartextAuthBeforeTls,
    string S2sAuthBeforeTls,
    IReadOnlyList<string> CleartextMechanisms);
