using System.Collections.Immutable;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>How one offer ended.</summary>
public enum OfferKind
{
    /// <summary>The server chose one of the offered values.</summary>
    Accepted,
    /// <summary>None of the offered values is acceptable (alert, close).</summary>
    Refused,
    /// <summary>The version itself was refused (protocol_version alert, another version negotiated).</summary>
    VersionRefused,
    /// <summary>No usable answer (garbage, limit, connection failure): the enumeration stops.</summary>
    Failed,
    /// <summary>The hello shape changed (compact fallback): offer again.</summary>
    Retry,
}

/// <summary>The answer to one offer.</summary>
/// <param name="Kind">Accepted, refused, version refused or failed.</param>
/// <param name="Pick">The chosen value when accepted.</param>
/// <param name="Offered">What was really offered (a fallback hello may offer fewer values).</param>
/// <param name="Handshake">The handshake, as evidence.</param>
/// <param name="Refusal">How the server said no, for people ("alert handshake_failure").</param>
public sealed record Offer(OfferKind Kind, ushort? Pick, ImmutableArray<ushort> Offered, HandshakeResult? Handshake, string? Refusal)
{
    public ProbeFailure? Failure => Kind == OfferKind.Failed ? Handshake?.Failure : null;
}

/// <summary>One step of an enumeration: the list offered (in wire order) and the server's pick, or null for a refusal.</summary>
public sealed record RemovalStep(ImmutableArray<ushort> Offered, ushort? Pick, HandshakeResult? Handshake);

/// <summary>What a removal enumeration found.</summary>
/// <param name="Accepted">Accepted values, in the order the server picked them.</param>
/// <param name="Steps">Every offer and answer.</param>
/// <param name="Refusal">The last refusal's description.</param>
/// <param name="VersionRefused">The very first answer refused the version.</param>
/// <param name="Tested">Distinct values offered.</param>
/// <param name="Errors">Failed offers.</param>
public sealed record RemovalResult(
    ImmutableArray<ushort> Accepted,
    ImmutableArray<RemovalStep> Steps,
    string? Refusal,
    bool VersionRefused,
    int Tested,
    ImmutableArray<ProbeFailure> Errors);
