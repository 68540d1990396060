using System.Collections.Immutable;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>Whose order a removal enumeration's picks follow, and the server's full order.</summary>
public static partial class RemovalEnumerator
{
    /// <summary>
    /// Whose order the picks follow. Client order is ruled out for free when some pick was not the first
    /// accepted value of its offer (the first offer goes least-likely-first, so a strong-first server shows
    /// itself at once); otherwise one two-value offer decides (two when no pair is ordered yet). A server
    /// order is returned complete: picks from later windows are merged in with two-value offers. With
    /// <paramref name="repeatCheck"/>, a server order is confirmed by sending the first accepted offer again (one
    /// connection): a different pick makes it <see cref="NegotiationOrder.Inconsistent"/>.
    /// </summary>
    public static async Task<(NegotiationOrder Order, ImmutableArray<ushort> Values)> ResolveOrderAsync(
        RemovalResult result,
        Func<int> window,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        CancellationToken cancellationToken,
        bool repeatCheck = false)
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
            clientConsistent &= s.Offered.FirstOrDefault(set.Contains) == s.Pick;
            complete &= set.Where(a => !picked.Contains(a)).All(s.Offered.Contains);
            picked.Add(s.Pick!.Value);
        }

        // Two offers that both held x and y, one picking x and the other y: no fixed server order (the pinned second
        // offer of a one-offer enumeration shows this on a client-order server).
        var withPick = result.Steps.Where(s => s.Pick is not null).ToList();
        var serverRefuted = withPick.Any(s => withPick.Any(t => t.Pick != s.Pick && s.Offered.Contains(t.Pick!.Value) && t.Offered.Contains(s.Pick!.Value)));
        if (serverRefuted)
        {
            return clientConsistent ? (NegotiationOrder.Client, [.. accepted.Order()]) : (NegotiationOrder.Inconsistent, accepted);
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
            return (await RepeatsItselfAsync().ConfigureAwait(false) ? NegotiationOrder.Server : NegotiationOrder.Inconsistent, accepted);
        }

        // Merging costs one offer per pick from a later window when that window sits below the first in the
        // server's order (as usual), up to 1 + log2(n) when it interleaves; reading the order again by removal
        // costs |accepted| - 1. Merge only when even the worst case is cheaper.
        var firstRefusal = result.Steps.IndexOf(result.Steps.FirstOrDefault(s => s.Pick is null) ?? result.Steps[^1]);
        var open = result.Steps.Skip(firstRefusal).Count(s => s.Pick is not null);
        var order = open * (1 + Math.Log2(accepted.Length)) < accepted.Length - 1 || accepted.Length > window()
            ? await MergeAsync(result.Steps, offer, cancellationToken).ConfigureAwait(false)
            : await ReadAgainAsync(accepted, offer, cancellationToken).ConfigureAwait(false);
        return (await RepeatsItselfAsync().ConfigureAwait(false) ? NegotiationOrder.Server : NegotiationOrder.Inconsistent, order ?? accepted);

        // A server order is a claim that the same hello always gets the same pick: the first accepted offer is sent
        // once more, unchanged. A different pick (a server choosing at random) is flagged, not read as an order;
        // no usable answer leaves the verdict as the enumeration found it.
        async Task<bool> RepeatsItselfAsync()
        {
            if (!repeatCheck)
            {
                return true;
            }

            var first = result.Steps.First(s => s.Pick is not null);
            if (result.Steps.Skip(1).Any(s => s.Pick == first.Pick && s.Offered.Length == first.Offered.Length && s.Offered.All(first.Offered.Contains)))
            {
                // The pinned second offer was this check already: the same values, the same pick.
                return true;
            }

            var again = await offer(first.Offered, cancellationToken).ConfigureAwait(false);
            return again.Kind != OfferKind.Accepted || again.Pick == first.Pick;
        }

        async Task<ushort?> OfferPairAsync(ushort a, ushort b)
        {
            var o = await offer([a, b], cancellationToken).ConfigureAwait(false);
            return o.Kind == OfferKind.Accepted && (o.Pick == a || o.Pick == b) ? o.Pick : null;
        }
    }

    /// <summary>The server's order by removal over the accepted values alone (they fit in one offer).</summary>
    private static async Task<ImmutableArray<ushort>?> ReadAgainAsync(
        ImmutableArray<ushort> accepted,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        CancellationToken cancellationToken)
    {
        var left = accepted.ToList();
        var order = new List<ushort>();
        while (left.Count > 1)
        {
            var o = await offer([.. left], cancellationToken).ConfigureAwait(false);
            if (o.Kind != OfferKind.Accepted || o.Pick is not { } p || !left.Remove(p))
            {
                return null;
            }

            order.Add(p);
        }

        order.AddRange(left);
        return [.. order];
    }

    /// <summary>
    /// The server's order when some values were picked in offers that lacked others (several windows): a pick
    /// is below every earlier pick whose offer held it too, so only its place below those is unknown; it is
    /// found by a search from the bottom with two-value offers.
    /// </summary>
    private static async Task<ImmutableArray<ushort>?> MergeAsync(
        ImmutableArray<RemovalStep> steps,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        CancellationToken cancellationToken)
    {
        var picks = steps.Select((s, i) => (s.Pick, Index: i)).Where(p => p.Pick is not null).ToList();
        var order = new List<ushort>();
        foreach (var (pick, index) in picks)
        {
            var p = pick!.Value;
            if (order.Contains(p))
            {
                continue; // picked again (a pinned offer): placed already
            }

            // Every earlier pick made while p was offered too is above p (and so is all the order above it).
            var above = picks.Where(q => q.Index < index && steps[q.Index].Offered.Contains(p)).Select(q => order.IndexOf(q.Pick!.Value)).ToList();
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
