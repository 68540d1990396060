namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// RFC 8914 Extended DNS Errors, read from the raw RDATA of the OPT record (DnsClient hands the bytes over but
/// does not parse the option). Only what the DNSSEC verdict needs.
/// </summary>
internal static class ExtendedDnsError
{
    /// <summary>EDNS0 option code of an Extended DNS Error (RFC 8914 §2).</summary>
    internal const ushort OptionCode = 15;

    /// <summary>
    /// True when an EDE INFO-CODE 1-12 is present: the DNSSEC failures (RFC 8914 §4.2 "Unsupported DNSKEY
    /// Algorithm" to §4.13 "NSEC Missing"; 6 is "DNSSEC Bogus").
    /// </summary>
    /// <remarks>
    /// OPT RDATA (RFC 6891 §6.1.2) is a sequence of { OPTION-CODE u16, OPTION-LENGTH u16, OPTION-DATA }; EDE's
    /// OPTION-DATA starts with INFO-CODE u16, then EXTRA-TEXT. A truncated option ends the walk.
    /// </remarks>
    internal static bool HasDnssecFailure(ReadOnlySpan<byte> optData)
    {
        while (optData.Length >= 4)
        {
            int code = (optData[0] << 8) | optData[1];
            int length = (optData[2] << 8) | optData[3];
            if (optData.Length - 4 < length)
            {
                return false;
            }

            if (code == OptionCode && length >= 2 && ((optData[4] << 8) | optData[5]) is >= 1 and <= 12)
            {
                return true;
            }

            optData = optData[(4 + length)..];
        }

        return false;
    }
}
