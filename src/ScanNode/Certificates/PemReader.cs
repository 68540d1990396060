namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>Extracts <c>-----BEGIN CERTIFICATE-----</c> blocks from PEM text (RFC 7468 §5); other labels are ignored.</summary>
internal static class PemReader
{
    private const string Begin = "-----BEGIN CERTIFICATE-----";
    private const string End = "-----END CERTIFICATE-----";

    public static List<byte[]> CertificateBlocks(string text, out int badBlocks)
    {
        var blocks = new List<byte[]>();
        badBlocks = 0;
        var position = 0;
        while (true)
        {
            var start = text.IndexOf(Begin, position, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            var bodyStart = start + Begin.Length;
            var end = text.IndexOf(End, bodyStart, StringComparison.Ordinal);
            if (end < 0)
            {
                badBlocks++;
                break;
            }

            try
            {
                blocks.Add(Convert.FromBase64String(text[bodyStart..end]));
            }
            catch (FormatException)
            {
                badBlocks++;
            }

            position = end + End.Length;
        }

        return blocks;
    }
}
