using System.Globalization;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The certificate part of an endpoint's text: a chain walk like the IM Observatory's (each certificate as sent —
/// number, subject, issuer, key, signature, validity, short SHA-256 — marked sent / in trust store / missing), the
/// trust verdict with its reasons, the identity match, the chains per key type, DANE and OCSP stapling.
/// Every server-supplied string goes through <see cref="TerminalText.Safe"/>.
/// </summary>
public static class CertificateSection
{
    private const string Indent = "          ";

    /// <summary>80 columns less the endpoint indent (4) and <see cref="Indent"/>.</summary>
    private const int WrapWidth = 66;

    public static IEnumerable<string> Lines(CertificateReport certificate, DateTimeOffset now)
    {
        var source = certificate.Source == ChainSource.Tls12Handshake ? "from a TLS 1.2 handshake" : "as sent in the session";
        yield return $"Chain     {certificate.Chain.Count} certificate{(certificate.Chain.Count == 1 ? "" : "s")} {source}";
        foreach (var line in WalkLines(certificate, now))
        {
            yield return line;
        }

        foreach (var line in TrustLines(certificate.Trust))
        {
            yield return line;
        }

        if (certificate.Identity is { } identity)
        {
            yield return NameLine(identity);
        }

        foreach (var error in certificate.ParseErrors)
        {
            yield return $"{Indent}! {Safe(error)}";
        }

        foreach (var line in KeyTypeLines(certificate))
        {
            yield return line;
        }

        if (certificate.Dane is { } dane)
        {
            foreach (var line in DaneLines(dane))
            {
                yield return line;
            }
        }

        if (certificate.Ocsp is { } ocsp)
        {
            yield return $"OCSP      {OcspText(ocsp)}";
        }
    }

    private static IEnumerable<string> WalkLines(CertificateReport certificate, DateTimeOffset now)
    {
        // Older results have no walk: show the chain as sent.
        var walk = certificate.Walk ?? certificate.Chain.Select((c, i) => new ChainWalkEntry(i, null, ChainCertificateOrigin.Sent, c.Sha256, null)).ToList();
        var number = 0;
        foreach (var entry in walk)
        {
            var facts = entry.Facts ?? (entry.SentIndex is int i && i < certificate.Chain.Count ? certificate.Chain[i] : null);
            var label = entry.SentIndex is int sent ? $"#{sent}" : $"+{++number}";
            var origin = entry.Origin switch
            {
                ChainCertificateOrigin.Sent => "sent",
                ChainCertificateOrigin.SentInTrustStore => "sent, in trust store",
                ChainCertificateOrigin.InTrustStore => "in trust store (not sent)",
                ChainCertificateOrigin.Missing => "MISSING (not sent; known to the store)",
                ChainCertificateOrigin.SentNotOnPath => "sent, NOT on the path",
                _ => entry.Origin.ToString(),
            };
            if (facts is null)
            {
                yield return $"  {label,-3}     (unparseable) {origin}  SHA-256 {Short(entry.Sha256)}";
                continue;
            }

            yield return $"  {label,-3}     {Safe(facts.Subject, 60)}  [{origin}]";
            yield return $"{Indent}issuer {Safe(facts.Issuer, 60)}";
            yield return $"{Indent}{KeyName(facts)} {facts.KeyBits} bits, {Safe(facts.SignatureAlgorithm)}, SHA-256 {Short(entry.Sha256)}";
            yield return $"{Indent}valid {Date(facts.NotBefore)} to {Date(facts.NotAfter)} ({Expiry(facts, now)})";
        }
    }

    private static IEnumerable<string> TrustLines(TrustVerdict trust)
    {
        yield return trust.Trusted
            ? $"Trust     trusted (anchor: {Safe(trust.AnchorSubject)})"
            : "Trust     NOT TRUSTED";
        foreach (var issue in trust.Issues)
        {
            yield return $"{Indent}- {Safe(issue.Message)}";
        }
    }

    private static string NameLine(IdentityMatch identity) => identity.Matched
        ? $"Name      matches {IdentifierKind(identity.MatchedBy)} {Safe(identity.MatchedIdentifier)}"
            + (identity.CommonNameOnlyMatch ? " (CN only: not accepted by RFC 9525)" : string.Empty)
        : $"Name      MISMATCH: {Safe(identity.ReferenceIdentity)} is not among "
            + (identity.PresentedIdentifiers.Count == 0
                ? "(no identifiers)"
                : string.Join(", ", identity.PresentedIdentifiers.Take(6).Select(n => $"{n.Type}:{Safe(n.Value)}")));

    private static IEnumerable<string> KeyTypeLines(CertificateReport certificate)
    {
        foreach (var chain in certificate.KeyTypeChains ?? [])
        {
            var head = $"Keys      {chain.KeyType,-5} ";
            switch (chain.Outcome)
            {
                case KeyTypeOutcome.Served:
                    var suite = chain.CipherSuite is { } s ? $"{chain.Protocol} {s.Name}" : chain.Protocol;
                    if (chain.SameLeafAsSession == true)
                    {
                        yield return $"{head}same leaf as above ({suite})";
                        break;
                    }

                    var leaf = chain.Chain is [var first, ..] ? $"{KeyName(first)} {first.KeyBits} bits, {Safe(first.Subject, 40)}" : "unparseable leaf";
                    yield return $"{head}ANOTHER chain: {leaf}, {chain.ChainSha256.Count} sent, SHA-256 {Short(chain.ChainSha256.FirstOrDefault())} ({suite})";
                    if (chain.Trust is { } trust)
                    {
                        yield return $"{Indent}{(trust.Trusted ? "trusted" : "NOT TRUSTED: " + string.Join("; ", trust.Issues.Take(3).Select(i => Safe(i.Message))))}";
                    }

                    if (chain.Identity is { } identity)
                    {
                        yield return Indent + NameLine(identity)[Indent.Length..];
                    }

                    if (chain.Ocsp is { } ocsp)
                    {
                        yield return $"{Indent}OCSP {OcspText(ocsp)}";
                    }

                    break;
                case KeyTypeOutcome.NotServed:
                    yield return $"{head}not served ({Safe(chain.Failure)})";
                    break;
                case KeyTypeOutcome.NoTls12:
                    yield return $"{head}no TLS ≤ 1.2: only the session's TLS 1.3 chain is known";
                    break;
                default:
                    yield return $"{head}{chain.Outcome.ToString().ToLowerInvariant()}: {Safe(chain.Failure)}";
                    break;
            }
        }
    }

    private static IEnumerable<string> DaneLines(DaneFacts dane)
    {
        var dnssec = $"SRV {Lower(dane.SrvDnssec)}, TLSA {Lower(dane.TlsaDnssec)} ({dane.DnssecSource})";
        var records = dane.Records.Count switch
        {
            0 => "no TLSA records",
            1 => "1 TLSA record",
            var n => $"{n} TLSA records",
        };
        yield return $"DANE      {Safe(dane.TlsaName)}: {records}";
        yield return $"{Indent}DNSSEC {dnssec}";
        var verdict = dane.Verdict.Result switch
        {
            DaneResult.Match => "MATCH",
            DaneResult.Mismatch => "MISMATCH",
            DaneResult.NoRecords => "none",
            DaneResult.UnusableRecords => "unusable records",
            DaneResult.NotSecure => "not secure, not usable",
            _ => dane.Verdict.Result.ToString(),
        };
        if (dane.Verdict.Result == DaneResult.NoRecords && dane.Records.Count == 0 && dane.Error is null)
        {
            yield break;
        }

        foreach (var line in Wrap($"{verdict}: {Safe(dane.Verdict.Message, 400)}", WrapWidth))
        {
            yield return Indent + line;
        }
    }

    /// <summary>Word-wraps to <paramref name="width"/> columns; a longer word (a hash) gets a line of its own.</summary>
    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static string OcspText(OcspStapleFacts ocsp) => ocsp.Status switch
    {
        OcspStapleStatus.NotChecked => $"not checked: {Safe(ocsp.Message)}",
        OcspStapleStatus.NotStapled => "no staple (status_request offered in TLS 1.2)",
        _ => $"stapled: {ocsp.Status.ToString().ToUpperInvariant()}: {Safe(ocsp.Message)}"
            + (ocsp.SignatureValid == true ? " (signature verified)" : string.Empty),
    };

    private static string IdentifierKind(IdentityMatchKind kind) => kind switch
    {
        IdentityMatchKind.DnsId => "DNS-ID",
        IdentityMatchKind.SrvId => "SRV-ID",
        IdentityMatchKind.XmppAddr => "XmppAddr",
        IdentityMatchKind.CommonName => "CN",
        IdentityMatchKind.SrvTargetWithDane => "SRV target (DNSSEC + DANE, RFC 7673)",
        _ => kind.ToString(),
    };

    private static string KeyName(CertificateFacts facts) => facts.KeyAlgorithm switch
    {
        KeyAlgorithm.Rsa => "RSA",
        KeyAlgorithm.Ec => facts.Curve is { } curve ? $"EC {Safe(curve)}" : "EC",
        KeyAlgorithm.Dsa => "DSA",
        _ => facts.KeyAlgorithm.ToString(),
    };

    private static string Expiry(CertificateFacts facts, DateTimeOffset now)
    {
        if (facts.NotBefore > now)
        {
            return "NOT YET VALID";
        }

        var days = (facts.NotAfter - now).TotalDays;
        return days >= 0 ? $"expires in {days:0} days" : $"EXPIRED {-days:0} days ago";
    }

    private static string Short(string? sha256) => sha256 is { Length: >= 16 } ? $"{sha256[..8]}…{sha256[^8..]}" : Safe(sha256);

    private static string Lower<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Safe(string? text, int maxLength = TerminalText.DefaultMaxLength) => TerminalText.Safe(text, maxLength);
}
