using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Events;

/// <summary>How one step of a target's scan ended. A throttled step is <see cref="Inconclusive"/>, never a negative finding.</summary>
public enum StepStatus
{
    Completed,
    Failed,

    /// <summary>The server throttled us (reset, <c>policy-violation</c>) even after back-off: nothing is known.</summary>
    Inconclusive,
    Skipped,
}

/// <summary>
/// A target actor started (first event of a target's stream in a region): the modes and the per-endpoint step
/// list it will run, fixed here so a replay after a software update walks the same steps.
/// </summary>
/// <remarks><c>TargetId</c>: The store's target; the stream itself is per region (<see cref="TargetStreams"/>).</remarks>
/// <remarks><c>EndpointSteps</c>: Step names run on every endpoint, in order (after <c>discover</c>).</remarks>
public sealed record TargetScanStarted(Guid TargetId, string Domain, IReadOnlyList<XmppMode> Modes, IReadOnlyList<string> EndpointSteps)
    : IEventPayload
{
    public static string TypeName => "target_scan_started";
    public static int SchemaVersion => 1;
}

/// <summary>
/// Discovery of one mode finished: what DNS said. The endpoints themselves follow as
/// <see cref="EndpointDiscovered"/> events in the same batch, in scan order (their index is their order).
/// </summary>
public sealed record DiscoveryCompleted(string Domain, XmppMode Mode, DnsReport Dns, int Endpoints) : IEventPayload
{
    public static string TypeName => "discovery_completed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// One full XMPP + TLS session with an endpoint (preamble, STARTTLS, handshake, certificate chain and its
/// assessment): the endpoint's report as the session step saw it.
/// </summary>
/// <remarks><c>Index</c>: The endpoint's position in the mode's discovered endpoints.</remarks>
public sealed record EndpointSessionObserved(XmppMode Mode, int Index, EndpointReport Report) : IEventPayload
{
    public static string TypeName => "endpoint_session_observed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// A step of a target's scan finished: the cursor of the target's state machine. Facts the step found are
/// separate events written in the same batch, before this one.
/// </summary>
/// <remarks><c>EndpointIndex</c>: The endpoint the step ran on; null for target-level steps (discover).</remarks>
/// <remarks><c>Attempts</c>: Tries it took (more than 1 after throttling and back-off).</remarks>
public sealed record ScanStepCompleted(string Step, XmppMode Mode, int? EndpointIndex, StepStatus Status,
    ProbeFailure? Failure, int Attempts) : IEventPayload
{
    public static string TypeName => "scan_step_completed";
    public static int SchemaVersion => 1;
}

/// <summary>
/// A target's event stream in one region. Every region scans the same target, and sequences are unique per
/// (census, stream), so each region writes a stream of its own: a name-based id (SHA-256 of the target id and
/// the region, RFC 9562 version 8 layout), the same on every node.
/// </summary>
public static class TargetStreams
{
    /// <summary>The stream of a target's <paramref name="generation"/>-th rescan in a region (0 = the first scan, the same
    /// id as <see cref="For(Guid, string)"/>): a rescan starts a fresh stream instead of replaying a finished one.</summary>
    public static Guid For(Guid targetId, string region, int generation) =>
        generation == 0 ? For(targetId, region) : For(targetId, $"{region}#{generation}");

    public static Guid For(Guid targetId, string region)
    {
        Span<byte> input = stackalloc byte[16 + 4 * 64];
        targetId.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + System.Text.Encoding.UTF8.GetBytes(region.AsSpan(0, Math.Min(region.Length, 64)), input[16..]);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
