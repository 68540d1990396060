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

/// <summary>
/// The connection-frugal enumeration behind suites, curves, groups and signature algorithms: offer a window
/// of the remaining candidates, remove the server's pick, offer again, until it refuses (a refusal removes
/// the whole window). Successive offers alternate direction, so a server that takes the client's first
/// choice shows it for free, and one that enforces its own order gives that order as the removal sequence.
/// </summary>
public static class RemovalEnumerator
{
    /// <summary>Runs the enumeration over <paramref name="candidates"/>.</summary>
    /// <param name="candidates">Values to try, most likely first.</param>
    /// <param name="window">How many values one offer may carry (asked before every offer: it may shrink).</param>
    /// <param name="offer">Sends one hello offering exactly the list given, in that order.</param>
    /// <param name="seed">Picks already known from other handshakes (saves their connections).</param>
    /// <param name="cancellationToken">Cancels the whole enumeration.</param>
    /// <param name="firstRefusalEnds">A refusal of the first window, with nothing accepted yet, ends the
    /// enumeration: the first window holds every commonly deployed candidate, so this is the one-connection
    /// "version not supported" answer (the "a refusal ends enumeration").</param>
    public static async Task<RemovalResult> RunAsync(
        IReadOnlyList<ushort> candidates,
        Func<int> window,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        IReadOnlyList<RemovalStep> seed,
        CancellationToken cancellationToken,
        bool firstRefusalEnds = false)
    {
        var pool = candidates.Distinct().ToList();
        var accepted = new List<ushort>();
        var steps = ImmutableArray.CreateBuilder<RemovalStep>();
        var errors = ImmutableArray.CreateBuilder<ProbeFailure>();
        var tested = new HashSet<ushort>();
        foreach (var s in seed)
        {
            if (s.Pick is { } p && pool.Remove(p))
            {
                accepted.Add(p);
                tested.Add(p);
                steps.Add(s);
            }
        }

        string? refusal = null;
        var versionRefused = false;
        // The first own offer goes least-likely-first: a server that enforces a strong-first order then
        // contradicts client order at once, and no swap is needed to tell.
        var reverse = true;
        while (pool.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = pool.Take(Math.Max(1, window())).ToList();
            if (reverse)
            {
                list.Reverse();
            }

            var o = await offer([.. list], cancellationToken).ConfigureAwait(false);
            if (o.Kind == OfferKind.Retry)
            {
                continue;
            }

            tested.UnionWith(o.Offered);
            if (o.Kind == OfferKind.Accepted && o.Pick is { } pick && o.Offered.Contains(pick) && pool.Remove(pick))
            {
                accepted.Add(pick);
                steps.Add(new RemovalStep(o.Offered, pick, o.Handshake));
                reverse = !reverse;
                continue;
            }

            if (o.Kind == OfferKind.Accepted)
            {
                errors.Add(new ProbeFailure(FailureKind.ProtocolError, $"server chose 0x{o.Pick:X4}, which was not offered"));
                break;
            }

            if (o.Kind == OfferKind.Failed)
            {
                errors.Add(o.Failure ?? new ProbeFailure(FailureKind.ProtocolError, "no usable answer"));
                break;
            }

            steps.Add(new RemovalStep(o.Offered, null, o.Handshake));
            refusal = o.Refusal;
            if (accepted.Count == 0 && (o.Kind == OfferKind.VersionRefused || firstRefusalEnds))
            {
                versionRefused = true;
                break;
            }

            pool.RemoveAll(o.Offered.Contains);
        }

        return new RemovalResult([.. accepted], steps.ToImmutable(), refusal, versionRefused, tested.Count, errors.ToImmutable());
    }

    /// <summary>
    /// Whose order the picks follow. Client order is ruled out for free when some pick was not the first
    /// accepted value of its offer; otherwise one more offer (the first two picks swapped) decides. A server
    /// order is returned complete: when a pick was made while an accepted value was missing from its offer
    /// (several windows), the order is read again by removal over the accepted values.
    /// </summary>
    public static async Task<(NegotiationOrder Order, ImmutableArray<ushort> Values)> ResolveOrderAsync(
        RemovalResult result,
        Func<int> window,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        CancellationToken cancellationToken)
    {
        var accepted = result.Accepted;
        if (accepted.Length < 2)
        {
            return (NegotiationOrder.Indeterminate, accepted);
        }

        var set = accepted.ToHashSet();
        var clientConsistent = true;
        var complete = true;
        var picked = new HashSet<ushort>();
        foreach (var s in result.Steps.Where(s => s.Pick is not null))
        {
            clientConsistent &= s.Offered.First(set.Contains) == s.Pick;
            complete &= set.Where(a => !picked.Contains(a)).All(s.Offered.Contains);
            picked.Add(s.Pick!.Value);
        }

        ushort? top = null;
        if (clientConsistent)
        {
            // A client-order server takes the first acceptable value offered: accepted[1] here.
            ImmutableArray<ushort> swapped = [accepted[1], accepted[0], .. accepted.Skip(2).Take(Math.Max(0, window() - 2))];
            var o = await offer(swapped, cancellationToken).ConfigureAwait(false);
            if (o.Kind != OfferKind.Accepted || o.Pick is not { } pick || !set.Contains(pick))
            {
                return (NegotiationOrder.Indeterminate, accepted);
            }

            if (pick == accepted[1])
            {
                return (NegotiationOrder.Client, [.. accepted.Order()]);
            }

            top = swapped.Length == accepted.Length ? pick : null;
            complete &= pick == accepted[0];
        }

        if (complete || accepted.Length > window())
        {
            return (NegotiationOrder.Server, accepted);
        }

        // Read the order again over the accepted values only (they all fit in one offer).
        var left = accepted.ToList();
        var order = new List<ushort>();
        if (top is { } t)
        {
            order.Add(t);
            left.Remove(t);
        }

        while (left.Count > 1)
        {
            var o = await offer([.. left], cancellationToken).ConfigureAwait(false);
            if (o.Kind != OfferKind.Accepted || o.Pick is not { } p || !left.Remove(p))
            {
                return (NegotiationOrder.Server, accepted);
            }

            order.Add(p);
        }

        order.AddRange(left);
        return (NegotiationOrder.Server, [.. order]);
    }
}
