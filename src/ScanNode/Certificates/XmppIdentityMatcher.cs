using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Matches a leaf certificate against the XMPP service domain (RFC 6120 §13.7.2.1, RFC 6125 §6 and RFC 9525 §6,
/// RFC 7673 §5). The reference identity is the domain the scan was asked about, in A-labels, lower case.
/// Precedence when several match: DNS-ID, SRV-ID, XmppAddr, then the subject CN (only when no DNS-ID, SRV-ID or
/// XmppAddr is present at all, RFC 6125 §6.4.4) and the SRV target (only when the caller says DNSSEC and DANE
/// allow it, RFC 7673).
/// </summary>
public static class XmppIdentityMatcher
{
    public static IdentityMatch Match(CertificateFacts leaf, string serviceDomain, XmppMode mode, string? srvTarget = null, bool srvTargetAllowed = false)
    {
        var reference = DnsNames.Normalize(serviceDomain) ?? serviceDomain.Trim().ToLowerInvariant();
        var sans = leaf.SubjectAltNames;

        IdentityMatch Hit(IdentityMatchKind kind, string identifier) =>
            new(true, kind, identifier, reference, sans, kind == IdentityMatchKind.CommonName);

        foreach (var san in sans)
        {
            if (san.Type == SubjectAltNameType.DnsName && DnsNames.Matches(san.Value, reference))
            {
                return Hit(IdentityMatchKind.DnsId, san.Value);
            }
        }

        // RFC 6120 §13.7.1.2.1: _xmpp-client for c2s, _xmpp-server for s2s; the other service's SRV-ID does not count.
        var service = mode == XmppMode.C2S ? "_xmpp-client." : "_xmpp-server.";
        foreach (var san in sans)
        {
            if (san.Type == SubjectAltNameType.SrvName && SrvIdMatches(san.Value, service, reference))
            {
                return Hit(IdentityMatchKind.SrvId, san.Value);
            }
        }

        foreach (var san in sans)
        {
            // RFC 6120 §13.7.1.4: a server's XmppAddr is its bare domain; IDN compared as A-labels.
            if (san.Type == SubjectAltNameType.XmppAddr && !san.Value.Contains('@') && !san.Value.Contains('/')
                && DnsNames.Normalize(san.Value) == reference)
            {
                return Hit(IdentityMatchKind.XmppAddr, san.Value);
            }
        }

        var hasIdentifierSans = sans.Any(s => s.Type is SubjectAltNameType.DnsName or SubjectAltNameType.SrvName or SubjectAltNameType.XmppAddr);
        if (!hasIdentifierSans && leaf.CommonName is { } cn && DnsNames.Matches(cn, reference))
        {
            return Hit(IdentityMatchKind.CommonName, cn);
        }

        if (srvTargetAllowed && DnsNames.Normalize(srvTarget) is { } target)
        {
            foreach (var san in sans)
            {
                if (san.Type == SubjectAltNameType.DnsName && DnsNames.Matches(san.Value, target))
                {
                    return Hit(IdentityMatchKind.SrvTargetWithDane, san.Value);
                }
            }

            if (!hasIdentifierSans && leaf.CommonName is { } targetCn && DnsNames.Matches(targetCn, target))
            {
                return Hit(IdentityMatchKind.SrvTargetWithDane, targetCn);
            }
        }

        return new IdentityMatch(false, IdentityMatchKind.None, null, reference, sans, false);
    }

    private static bool SrvIdMatches(string presented, string service, string reference)
    {
        if (!presented.StartsWith(service, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var name = DnsNames.Normalize(presented[service.Length..]);
        return name is not null && !name.Contains('*') && name == reference;
    }
}
