using System.Security.Cryptography;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Matches TLSA records (RFC 6698 §2.1, RFC 7671, RFC 7673 for XMPP's SRV targets) against the presented chain.
/// <list type="bullet">
/// <item>3 DANE-EE: the leaf matches; no name, expiry or chain checks (RFC 7671 §5.1).</item>
/// <item>2 DANE-TA: a presented certificate above the leaf matches and the leaf's signature chain through the
/// presented certificates reaches it. Kept simple: a trust anchor left out of the chain (RFC 7671 §5.2, "2 0 0"
/// records only) and a self-signed leaf matching a DANE-TA record are not accepted; dates and names are not checked here.</item>
/// <item>1 PKIX-EE: the leaf matches and the chain is PKIX-trusted by the given store.</item>
/// <item>0 PKIX-TA: a CA certificate on the PKIX path (anchor included) matches and the chain is PKIX-trusted.</item>
/// </list>
/// Records with unknown usage, selector or matching type, data of the wrong length, or PKIX usages without a
/// trust store are unusable. A TLSA answer that is not DNSSEC-secure must not be used (RFC 6698 §4.1): the
/// result is then <see cref="DaneResult.NotSecure"/>, and the message and <see cref="DaneVerdict.MatchedRecords"/>
/// say what would have matched.
/// </summary>
public static class DaneMatcher
{
    private const int Sha256Length = 32;
    private const int Sha512Length = 64;

    public static DaneVerdict Match(IReadOnlyList<TlsaRecord> records, IReadOnlyList<byte[]> presentedChain, DnssecStatus tlsaDnssec, TrustStore? anchorsForPkixUsages = null) =>
        Match(records, presentedChain, tlsaDnssec, anchorsForPkixUsages, DateTimeOffset.UtcNow);

    /// <summary>As above, with the time used for the PKIX usages' validity checks.</summary>
    public static DaneVerdict Match(IReadOnlyList<TlsaRecord> records, IReadOnlyList<byte[]> presentedChain, DnssecStatus tlsaDnssec, TrustStore? anchorsForPkixUsages, DateTimeOffset now)
    {
        if (records.Count == 0)
        {
            return new DaneVerdict(DaneResult.NoRecords, [], "no TLSA records");
        }

        var unusable = new List<string>();
        var usable = new List<TlsaRecord>();
        foreach (var record in records)
        {
            if (UnusableReason(record, anchorsForPkixUsages) is { } reason)
            {
                unusable.Add($"{Render(record)}: {reason}");
            }
            else
            {
                usable.Add(record);
            }
        }

        var chain = new DaneChain(presentedChain, anchorsForPkixUsages, now);
        var matched = usable.Where(chain.Matches).Select(Render).ToList();
        var unusableNote = unusable.Count > 0 ? $"; unusable: {string.Join("; ", unusable)}" : string.Empty;

        if (tlsaDnssec != DnssecStatus.Secure)
        {
            var would = matched.Count > 0 ? $"would have matched {string.Join(", ", matched)}" : "would not have matched";
            return new DaneVerdict(DaneResult.NotSecure, matched,
                $"TLSA answer is {tlsaDnssec}, not DNSSEC-secure, so it must not be used (RFC 6698 §4.1); the data {would}{unusableNote}");
        }

        if (usable.Count == 0)
        {
            return new DaneVerdict(DaneResult.UnusableRecords, [], $"all {records.Count} TLSA records are unusable{unusableNote}");
        }

        return matched.Count > 0
            ? new DaneVerdict(DaneResult.Match, matched, $"matched {string.Join(", ", matched)}{unusableNote}")
            : new DaneVerdict(DaneResult.Mismatch, [], $"none of {usable.Count} usable TLSA records matches the presented chain{chain.PkixNote}{unusableNote}");
    }

    private static string? UnusableReason(TlsaRecord r, TrustStore? anchors)
    {
        if (r.Usage > 3 || r.Selector > 1 || r.MatchingType > 2)
        {
            return "unknown usage, selector or matching type";
        }

        if (r.MatchingType == 1 && r.Data.Length != Sha256Length || r.MatchingType == 2 && r.Data.Length != Sha512Length || r.Data.Length == 0)
        {
            return $"association data of {r.Data.Length} bytes does not fit matching type {r.MatchingType}";
        }

        return r.Usage <= 1 && anchors is null ? "PKIX usage but no trust store given" : null;
    }

    internal static bool DataMatches(TlsaRecord r, ParsedCertificate cert)
    {
        var selected = r.Selector == 0 ? cert.Der : cert.SpkiDer;
        return r.MatchingType switch
        {
            0 => selected.AsSpan().SequenceEqual(r.Data),
            1 => SHA256.HashData(selected).AsSpan().SequenceEqual(r.Data),
            2 => SHA512.HashData(selected).AsSpan().SequenceEqual(r.Data),
            _ => false,
        };
    }

    private static string Render(TlsaRecord r)
    {
        var hex = Convert.ToHexStringLower(r.Data);
        return $"{r.Usage} {r.Selector} {r.MatchingType} {(hex.Length > 64 ? hex[..64] + "…" : hex)}";
    }
}
