using System.Text;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>The few bytes we send (RFC 6120 §4.7, §5.4.2.1), built once per connection.</summary>
internal static class StreamHeaders
{
    /// <summary>The initial stream header. c2s: <c>jabber:client</c>. s2s: <c>jabber:server</c>, the dialback
    /// prefix and <c>from</c> (RFC 6120 §4.7.1; ejabberd closes an s2s stream that says <c>jabber:client</c>).</summary>
    public static byte[] Open(XmppEndpoint endpoint, string s2sFromDomain)
    {
        var sb = new StringBuilder(256);
        sb.Append("<?xml version='1.0'?><stream:stream xmlns='").Append(endpoint.Mode.ContentNamespace()).Append('\'');
        if (endpoint.Mode == XmppMode.S2S)
        {
            sb.Append(" xmlns:db='").Append(XmppNames.DialbackPrefixNamespace).Append('\'');
            sb.Append(" from='").Append(Escape(s2sFromDomain)).Append('\'');
        }
        sb.Append(" xmlns:stream='").Append(XmppNames.Streams).Append('\'');
        sb.Append(" to='").Append(Escape(endpoint.Domain)).Append("' version='1.0'>");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] StartTls { get; } = Encoding.UTF8.GetBytes("<starttls xmlns='" + XmppNames.Tls + "'/>");

    public static byte[] Close { get; } = Encoding.UTF8.GetBytes("</stream:stream>");

    private static string Escape(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("'", "&apos;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
