using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The XMPP-level security facts of one endpoint, in words: how exposed the stream is before TLS (STARTTLS
/// stripping, passwords in the clear), what authentication is offered after it, and what the server said.
/// </summary>
public static class XmppSection
{
    public static IEnumerable<string> Lines(XmppStreamFacts xmpp, TlsTransport transport, XmppMode mode)
    {
        if (transport == TlsTransport.StartTls && xmpp.PreTlsFeatures is { } pre)
        {
            yield return "XMPP      " + pre.StartTls switch
            {
                StartTlsSupport.Required => "STARTTLS required",
                // RFC 7590 §3.1: without <required/> an attacker on the path can strip STARTTLS.
                StartTlsSupport.Offered => "STARTTLS offered but NOT required: strippable by anyone on the path",
                _ => "STARTTLS NOT offered: the stream stays in the clear",
            };
            var plainBeforeTls = pre.SaslMechanisms.Where(m => m is "PLAIN" or "LOGIN").ToList();
            yield return $"SASL      before TLS: {Mechanisms(pre.SaslMechanisms)}"
                + (plainBeforeTls.Count > 0 ? $"  ! {string.Join("/", plainBeforeTls)} sends passwords in the clear" : string.Empty);
            if (pre.CompressionMethods.Count > 0)
            {
                yield return $"XMPP      stream compression before TLS (XEP-0138): {Mechanisms(pre.CompressionMethods)}";
            }
        }
        else if (transport == TlsTransport.DirectTls && xmpp.PostTlsFeatures is not null)
        {
            yield return "XMPP      direct TLS (XEP-0368): TLS from the first byte";
        }

        if (xmpp.PostTlsFeatures is { } post)
        {
            var binding = post.SaslMechanisms.Where(m => m.EndsWith("-PLUS", StringComparison.Ordinal)).ToList();
            yield return $"SASL      after TLS: {Mechanisms(post.SaslMechanisms)}";
            if (binding.Count > 0)
            {
                yield return $"SASL      channel binding offered ({Mechanisms(binding)})";
            }

            if (post.CompressionMethods.Count > 0)
            {
                yield return $"XMPP      stream compression offered (XEP-0138): {Mechanisms(post.CompressionMethods)}";
            }

            if (mode == XmppMode.S2S)
            {
                var ways = new List<string>();
                if (post.SaslMechanisms.Contains("EXTERNAL"))
                {
                    ways.Add("SASL EXTERNAL (certificates)");
                }

                if (post.Dialback)
                {
                    ways.Add("dialback (XEP-0220)");
                }

                yield return $"S2S       peer authentication: {(ways.Count == 0 ? "none offered" : string.Join(", ", ways))}";
            }
        }

        if (transport == TlsTransport.StartTls && xmpp.StreamRestartAfterTlsWorked == false)
        {
            yield return "XMPP      ! the stream restart after TLS failed";
        }

        if (xmpp.PeerCertificateRequired == true)
        {
            yield return "S2S       the server requires a certificate from the connecting server (not a TLS failure)";
        }

        if (xmpp.StreamError is { } error)
        {
            var text = error.Text is { Length: > 0 } t ? $" \"{TerminalText.Safe(t)}\"" : string.Empty;
            var other = error.OtherHost is { } host ? $" → {TerminalText.Safe(host)}" : string.Empty;
            yield return $"XMPP      stream error <{TerminalText.Safe(error.Condition)}/>{other}{text}";
        }
    }

    private static string Mechanisms(IReadOnlyList<string> mechanisms) =>
        mechanisms.Count == 0 ? "none" : string.Join(" ", mechanisms.Select(m => TerminalText.Safe(m, 64)));
}
