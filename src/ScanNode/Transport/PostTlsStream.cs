using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// The XMPP stream over an established TLS session (RFC 6120 §5.4.3.3: the stream restarts after STARTTLS;
/// XEP-0368: the first stream for direct TLS): send a fresh header, read header and features, close politely.
/// </summary>
internal static class PostTlsStream
{
    /// <summary>s2s conditions that, right after TLS, mean "authenticate with a certificate" (XEP-0178, RFC 6120 §13.7.2).</summary>
    private static readonly string[] PeerCertificateConditions = ["not-authorized", "policy-violation"];

    /// <summary>RFC 8446 §6.2 certificate_required.</summary>
    private const int CertificateRequiredAlert = 116;

    /// <returns>The failure, or null when features were read (or an s2s server asked for our certificate).</returns>
    public static async Task<ProbeFailure?> RunAsync(Stream tls, XmppEndpoint endpoint, XmppConnectorOptions options,
        ScanLimits limits, XmppFactsBuilder facts, CancellationToken ct)
    {
        bool restart = endpoint.Transport == TlsTransport.StartTls;
        bool s2s = endpoint.Mode == XmppMode.S2S;
        var plain = new BoundedStream(tls, ownsInner: false, limits.MaxXmppPreambleBytes, limits.ReadTimeout,
            connectionTimeout: null, ct, "XMPP stream over TLS", limits.Clock);
        await using (plain.ConfigureAwait(false))
        {
            using var reader = new XmppStreamReader(plain, limits.MaxXmlDepth, limits.MaxXmppPreambleBytes);
            try
            {
                await plain.WriteAsync(StreamHeaders.Open(endpoint, options.S2sFromDomain), ct).ConfigureAwait(false);
                await plain.FlushAsync(ct).ConfigureAwait(false);
                var header = await reader.ReadHeaderAsync().ConfigureAwait(false);
                if (!restart) facts.RecordHeader(header);
                facts.PostTlsFeatures = await StartTlsNegotiation.ReadFeaturesAsync(reader).ConfigureAwait(false);
                if (restart) facts.StreamRestartAfterTlsWorked = true;
                if (s2s) facts.PeerCertificateRequired = false;
                await ClosePolitelyAsync(plain, ct).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                if (restart) facts.StreamRestartAfterTlsWorked = false;
                if (e is StreamErrorException se)
                {
                    facts.StreamError = se.Info;
                    if (s2s && PeerCertificateConditions.Contains(se.Info.Condition))
                    {
                        facts.PeerCertificateRequired = true;
                        return null;
                    }
                }
                // TLS 1.3: the server checks our (missing) certificate after our Finished, so its
                // certificate_required alert (RFC 8446 §6.2, alert 116) arrives on the first read over TLS.
                if (s2s && OpenSslAlerts.ReceivedAlert(e) == CertificateRequiredAlert)
                {
                    facts.PeerCertificateRequired = true;
                    return null;
                }
                return FailureClassifier.Classify(e, plain);
            }
        }
    }

    private static async Task ClosePolitelyAsync(Stream plain, CancellationToken ct)
    {
        try
        {
            await plain.WriteAsync(StreamHeaders.Close, ct).ConfigureAwait(false);
            await plain.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The facts are already recorded; a server that hangs up first is not a failure of the probe.
        }
    }
}
