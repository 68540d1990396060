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
    /// <param name="rank">Called once, with the first accepted handshake: a ranking (lower first) to re-sort the
    /// untested candidates with what it showed (e.g. the certificate's key type), so that the values this
    /// server can accept share the first window. Values moved in are merged into the order like later windows.</param>
    public static async Task<RemovalResult> RunAsync(
        IReadOnlyList<ushort> candidates,
        Func<int> window,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        IReadOnlyList<RemovalStep> seed,
        CancellationToken cancellationToken,
        bool firstRefusalEnds = false,
        Func<ushort, HandshakeResult?, Func<ushort, int>?>? rank = null)
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
        // Fixed windows: a window is offered until refused, picks leave it but nothing refills it. Each
        // window's picks are then the server's exact order over that window, and windows merge cheaply.
        var current = new List<ushort>();
        while (current.Count > 0 || pool.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var size = Math.Max(1, window());
            if (current.Count == 0)
            {
                current.AddRange(pool.Take(size));
                pool.RemoveRange(0, current.Count);
            }
            else if (current.Count > size)
            {
                // The hello shape shrank (compact fallback): give the excess back.
                pool.InsertRange(0, current.Skip(size));
                current.RemoveRange(size, current.Count - size);
            }

            var list = current.ToList();
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
            if (o.Kind == OfferKind.Accepted && o.Pick is { } pick && o.Offered.Contains(pick) && current.Remove(pick))
            {
                accepted.Add(pick);
                steps.Add(new RemovalStep(o.Offered, pick, o.Handshake));
                reverse = !reverse;
                if (accepted.Count == 1 && rank?.Invoke(pick, o.Handshake) is { } order)
                {
                    // Stable re-sort of the current window and the untested rest; the window keeps its size.
                    var all = current.Concat(pool).Select((v, i) => (v, i)).OrderBy(x => order(x.v)).ThenBy(x => x.i).Select(x => x.v).ToList();
                    var keep = current.Count;
                    current = all.Take(keep).ToList();
                    pool = all.Skip(keep).ToList();
                }

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

            current.RemoveAll(o.Offered.Contains);
            pool.AddRange(current); // a shape change may have cut the offer short: the rest is still untested
            current.Clear();
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

        if (clientConsistent)
        {
            // A pair whose server order the picks already show (x picked while y was offered) decides with one
            // offer [y, x]: a client-order server takes y. Without such a pair, [a1, a0] and maybe [a0, a1].
            var picks = result.Steps.Where(s => s.Pick is not null).ToList();
            var pair = picks.SelectMany((s, i) => picks.Skip(i + 1).Where(t => s.Offered.Contains(t.Pick!.Value))
                .Select(t => (X: s.Pick!.Value, Y: t.Pick!.Value))).Cast<(ushort X, ushort Y)?>().FirstOrDefault();
            var (x, y) = pair ?? (accepted[0], accepted[1]);
            var first = await OfferPairAsync(y, x).ConfigureAwait(false);
            if (first is null)
            {
                return (NegotiationOrder.Indeterminate, accepted);
            }

            if (first == y)
            {
                if (pair is not null)
                {
                    return (NegotiationOrder.Client, [.. accepted.Order()]);
                }

                var second = await OfferPairAsync(x, y).ConfigureAwait(false);
                if (second is null)
                {
                    return (NegotiationOrder.Indeterminate, accepted);
                }

                if (second == x)
                {
                    return (NegotiationOrder.Client, [.. accepted.Order()]);
                }
            }
        }

        if (complete)
        {
            return (NegotiationOrder.Server, accepted);
        }

        var order = await MergeAsync(result.Steps, offer, cancellationToken).ConfigureAwait(false);
        return (NegotiationOrder.Server, order ?? accepted);

        async Task<ushort?> OfferPairAsync(ushort a, ushort b)
        {
            var o = await offer([a, b], cancellationToken).ConfigureAwait(false);
            return o.Kind == OfferKind.Accepted && (o.Pick == a || o.Pick == b) ? o.Pick : null;
        }
    }

    /// <summary>
    /// The server's order when some values were picked in offers that lacked others (several windows): a pick
    /// is below every pick made while it was already offered, so only its place among the picks made before
    /// it was first offered is unknown; it is found by binary search with two-value offers.
    /// </summary>
    private static async Task<ImmutableArray<ushort>?> MergeAsync(
        ImmutableArray<RemovalStep> steps,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        CancellationToken cancellationToken)
    {
        var entry = new Dictionary<ushort, int>();
        for (var i = 0; i < steps.Length; i++)
        {
            foreach (var v in steps[i].Offered)
            {
                entry.TryAdd(v, i);
            }
        }

        var picks = steps.Select((s, i) => (s.Pick, Index: i)).Where(p => p.Pick is not null).ToList();
        var order = new List<ushort>();
        foreach (var (pick, index) in picks)
        {
            var p = pick!.Value;
            var above = picks.Where(q => q.Index >= entry[p] && q.Index < index).Select(q => order.IndexOf(q.Pick!.Value)).ToList();
            var lo = above.Count == 0 ? 0 : above.Max() + 1;
            var hi = order.Count;
            // Search from the bottom, doubling the step: later windows usually hold the server's least
            // preferred suites, so one offer often places a pick (and with it the rest of its window).
            var step = 1;
            while (lo < hi)
            {
                var probe = Math.Max(lo, hi - step);
                var beats = await BeatsAsync(p, order[probe]).ConfigureAwait(false);
                if (beats is null)
                {
                    return null;
                }

                if (beats.Value)
                {
                    hi = probe;
                    step *= 2;
                }
                else
                {
                    lo = probe + 1;
                    break;
                }
            }

            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                var beats = await BeatsAsync(p, order[mid]).ConfigureAwait(false);
                if (beats is null)
                {
                    return null;
                }

                if (beats.Value)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            order.Insert(lo, p);
        }

        return [.. order];

        async Task<bool?> BeatsAsync(ushort a, ushort b)
        {
            var o = await offer([a, b], cancellationToken).ConfigureAwait(false);
            return o.Kind == OfferKind.Accepted && (o.Pick == a || o.Pick == b) ? o.Pick == a : null;
        }
    }
}
