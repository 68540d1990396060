using System.Buffers.Binary;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Heartbleed (CVE-2014-0160), one connection, checked without reading server memory. A ClientHello at the
/// highest supported version ≤ TLS 1.2 offers the heartbeat extension; after ServerHelloDone (still in
/// clear, as testssl and nmap do) one heartbeat_request goes out:
/// <code>
/// struct {                                          RFC 6520 §4
///     HeartbeatMessageType type;                    1 = heartbeat_request
///     uint16 payload_length;                        PayloadBytes + ClaimedExtraBytes (a lie)
///     opaque payload[PayloadBytes];                 random
///     opaque padding[ClaimedExtraBytes];            random, at least 16 bytes (§4)
/// } HeartbeatMessage;
/// </code>
/// A fixed server discards it (payload_length + 16 exceeds the record, §4) or alerts. A vulnerable one
/// copies payload_length bytes — our payload and our own padding, nothing beyond the record — into a
/// heartbeat_response, so it answers with more payload than was sent. Only the lengths are kept.
/// The request is sent whether or not the extension was echoed (as nmap's ssl-heartbleed does).
/// </summary>
public sealed class HeartbleedProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>Real payload bytes.</summary>
    public const int PayloadBytes = 16;

    /// <summary>How far payload_length overstates the payload: exactly the padding we send.</summary>
    public const int ClaimedExtraBytes = 16;

    /// <summary>Records read while waiting for the answer (a heartbeat or an alert).</summary>
    private const int MaxRecordsRead = 4;

    public async Task<VulnerabilityProbeResult<HeartbleedFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (context.HighestLegacyVersion is not { } version)
        {
            return VulnerabilityProbeResult<HeartbleedFacts>.Skipped(ProbeOutcomes.NoLegacyVersion);
        }

        var hello = context.LegacyHello(version);
        if (!hello.Extensions.Any(e => e.Type == TlsExtensionType.Heartbeat))
        {
            hello = hello with { Extensions = [.. hello.Extensions, ClientHelloExtension.Heartbeat()], OmitEmptyExtensionsBlock = false };
        }

        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, hello, cancellationToken).ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone)
        {
            return VulnerabilityProbeResult<HeartbleedFacts>.Failed(ProbeOutcomes.FailureOf(flight), 1);
        }

        var sh = flight.ServerHello!;
        if (await session.SendAsync(Request(session.RecordVersion)).ConfigureAwait(false) is { } sendFailure)
        {
            return VulnerabilityProbeResult<HeartbleedFacts>.Failed(sendFailure, 1);
        }

        var reaction = RecordReaction.Other;
        string? alert = null;
        int? responseLength = null;
        for (var i = 0; i < MaxRecordsRead; i++)
        {
            var next = await session.ReadRecordAsync().ConfigureAwait(false);
            reaction = next.Reaction;
            alert = next.Alert?.DescriptionName;
            if (next.Message is { ContentType: TlsContentType.Heartbeat } m)
            {
                reaction = RecordReaction.Response;
                responseLength = ResponsePayloadLength(m.Raw);
                Array.Clear(m.Raw); // whatever the server echoed is never kept
                break;
            }

            if (next.Message is null || next.Reaction == RecordReaction.Alert)
            {
                break;
            }
        }

        var extra = responseLength is { } len ? Math.Max(0, len - PayloadBytes) : 0;
        return VulnerabilityProbeResult<HeartbleedFacts>.Completed(
            new HeartbleedFacts(
                ProbeOutcomes.ProtocolOf(flight),
                sh.HeartbeatMode is not null,
                sh.HeartbeatMode,
                PayloadBytes,
                ClaimedExtraBytes,
                reaction,
                alert,
                responseLength,
                extra),
            1);
    }

    /// <summary>The heartbeat_request record described in the class comment.</summary>
    public static byte[] Request(ushort recordVersion)
    {
        var message = new byte[3 + PayloadBytes + ClaimedExtraBytes];
        message[0] = 1; // heartbeat_request
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(1), PayloadBytes + ClaimedExtraBytes);
        RandomNumberGenerator.Fill(message.AsSpan(3));
        return TlsRecordWriter.Wrap(TlsContentType.Heartbeat, recordVersion, message);
    }

    /// <summary>payload_length of a heartbeat_response, bounded by the record actually received; null if not one.</summary>
    private static int? ResponsePayloadLength(ReadOnlySpan<byte> record)
    {
        var r = new TlsSpanReader(record);
        if (!r.TryReadUInt8(out var type) || type != 2 || !r.TryReadUInt16(out var claimed))
        {
            return null;
        }

        // Count only payload bytes that really arrived: a response claiming more than it carries proves nothing.
        return Math.Min(claimed, record.Length - 3);
    }
}

/// <summary>The Heartbleed check: vulnerable when the response carried more payload than was sent.</summary>
public sealed class HeartbleedCheck : VulnerabilityCheck<HeartbleedFacts>
{
    public const string Key = "heartbleed";

    public override string Id => Key;

    public override string Title => "Heartbleed (CVE-2014-0160)";

    public override int Order => 50;

    // The heartbeat handling is the TLS library's code (OpenSSL 1.0.1–1.0.1f over-read whatever the port, domain or
    // certificate), reached after a hello of the shared assessment. Assumed as for the assessment itself: endpoints that
    // answer every verification hello alike run one TLS implementation (two builds with identical settings and alerts
    // behind one address would not be told apart).
    public override ProbeSharing Sharing => ProbeSharing.Service;

    protected override Task<VulnerabilityProbeResult<HeartbleedFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new HeartbleedProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(HeartbleedFacts facts) => facts.Vulnerable
        ? ProbeVerdict.Vulnerable($"{facts.ExtraBytes} bytes over-read")
        : ProbeVerdict.Safe(facts.Alert is { } a ? "alert " + a : facts.Reaction.ToString().ToLowerInvariant());
}
