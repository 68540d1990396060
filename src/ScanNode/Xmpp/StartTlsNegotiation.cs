using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>
/// The clear-text part of an XMPP STARTTLS connection (RFC 6120 §5.4.2): our header, the server's header and
/// features, <c>&lt;starttls/&gt;</c>, and <c>&lt;proceed/&gt;</c>. On return the connection is positioned exactly
/// at the TLS handshake: the XML reader is fed one tag per read (<see cref="TagChunkStream"/>), so no byte after
/// <c>&lt;proceed/&gt;</c> ends up in its buffer, and whatever the chunked read took beyond it is given back.
/// </summary>
/// <remarks>
/// Round trips before the ServerHello: TCP, header → features, <c>&lt;starttls/&gt;</c> → <c>&lt;proceed/&gt;</c>,
/// ClientHello → ServerHello. With <see cref="XmppConnectorOptions.PipelineStartTls"/> the header and
/// <c>&lt;starttls/&gt;</c> go in one write and one round trip is saved (Prosody 0.12 then answers header,
/// features and <c>&lt;proceed/&gt;</c> in one segment).
/// </remarks>
internal static class StartTlsNegotiation
{
    /// <summary>One read of the preamble: a header and features of a real server fit (Prosody's ≈ 1 KiB).</summary>
    private const int PreambleChunkBytes = 4096;

    public static async Task NegotiateAsync(BoundedStream connection, XmppEndpoint endpoint, XmppConnectorOptions options,
        ScanLimits limits, XmppFactsBuilder facts, CancellationToken ct)
    {
        var preamble = new BoundedStream(connection, ownsInner: false, limits.MaxXmppPreambleBytes, ioTimeout: null,
            connectionTimeout: null, ct, "XMPP preamble");
        await using (preamble.ConfigureAwait(false))
        {
            using var tags = new TagChunkStream(preamble, PreambleChunkBytes);
            using var reader = new XmppStreamReader(tags, limits.MaxXmlDepth, limits.MaxXmppPreambleBytes);
            byte[] header = StreamHeaders.Open(endpoint, options.S2sFromDomain);
            if (options.PipelineStartTls)
            {
                await connection.WriteAsync((byte[])[.. header, .. StreamHeaders.StartTls], ct).ConfigureAwait(false);
            }
            else
            {
                await connection.WriteAsync(header, ct).ConfigureAwait(false);
            }
            facts.RecordHeader(await reader.ReadHeaderAsync().ConfigureAwait(false));
            var features = await ReadFeaturesAsync(reader).ConfigureAwait(false);
            facts.PreTlsFeatures = features;
            if (features.StartTls == StartTlsSupport.NotOffered)
            {
                throw XmppProtocolException.Of(FailureKind.StartTlsNotOffered, "the server's features do not offer <starttls/>");
            }

            if (!options.PipelineStartTls)
            {
                await connection.WriteAsync(StreamHeaders.StartTls, ct).ConfigureAwait(false);
            }
            var answer = await reader.ReadTopLevelAsync().ConfigureAwait(false);
            if (answer.Is(XmppNames.Tls, "proceed"))
            {
                connection.Unread(tags.Unconsumed);
                return;
            }
            if (answer.Is(XmppNames.Tls, "failure"))
            {
                throw XmppProtocolException.Of(FailureKind.StartTlsRejected, "the server answered <starttls/> with <failure/>");
            }
            if (StreamErrorReader.IsStreamError(answer)) throw StreamErrorReader.ToException(answer);
            throw XmppProtocolException.Of(FailureKind.ProtocolError,
                "expected <proceed/> or <failure/>, got " + ServerText.Bound(answer.QualifiedName, ServerText.MaxName));
        }
    }

    /// <summary>Reads top-level elements until <c>&lt;stream:features/&gt;</c>; a stream error ends the stream.
    /// Anything else before the features is skipped (the preamble byte budget bounds how much).</summary>
    public static async Task<XmppFeatures> ReadFeaturesAsync(XmppStreamReader reader)
    {
        while (true)
        {
            var element = await reader.ReadTopLevelAsync().ConfigureAwait(false);
            if (FeaturesReader.IsFeatures(element)) return FeaturesReader.Parse(element);
            if (StreamErrorReader.IsStreamError(element)) throw StreamErrorReader.ToException(element);
        }
    }
}
