using System.Collections.Immutable;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// The connection-frugal enumeration behind suites, curves, groups and signature algorithms: offer a window
/// of the remaining candidates, remove the server's pick, offer again, until it refuses (a refusal removes
/// the whole window). Successive offers alternate direction, so a server that takes the client's first
/// choice shows it for free, and one that enforces its own order gives that order as the removal sequence.
/// </summary>
public static partial class RemovalEnumerator
{
    /// <summary>The first offer <see cref="RunAsync"/> makes from <paramref name="candidates"/> without a seed: the first
    /// window, least likely first (see there).</summary>
    public static ImmutableArray<ushort> FirstOffer(IReadOnlyList<ushort> candidates, int window) =>
        [.. candidates.Distinct().Take(Math.Max(1, window)).Reverse()];

    /// <summary>Runs the enumeration over <paramref name="candidates"/>.</summary>
    /// <param name="candidates">Values to try, most likely first.</param>
    /// <param name="window">How many values one offer may carry (asked before every offer: it may shrink).</param>
    /// <param name="offer">Sends one hello offering exactly the list given, in that order.</param>
    /// <param name="seed">Picks already known from other handshakes (saves their connections).</param>
    /// <param name="cancellationToken">Cancels the whole enumeration.</param>
    /// <param name="firstRefusalEnds">A refusal of the first window, with nothing accepted yet, ends the
    /// enumeration: the first window holds every commonly deployed candidate, so this is the one-connection
    /// "version not supported" answer (the issue's "a refusal ends enumeration").</param>
    /// <param name="rank">Called once, with the first accepted handshake: a ranking (lower first) to re-sort the
    /// untested candidates with what it showed (e.g. the certificate's key type), so that the values this
    /// server can accept share the first window. Values moved in are merged into the order like later windows.</param>
    /// <param name="pinFirstPick">When every candidate fits one offer: the second offer carries the first pick again,
    /// last. A server with its own order picks it again (the same set as the first offer, in the other order: the
    /// repeat check of a server order, issue 16); a client-order server picks the first accepted value of the rest,
    /// which refutes a server order without the extra two-value offer. Either way no connection beyond the floor.</param>
    public static async Task<RemovalResult> RunAsync(
        IReadOnlyList<ushort> candidates,
        Func<int> window,
        Func<ImmutableArray<ushort>, CancellationToken, Task<Offer>> offer,
        IReadOnlyList<RemovalStep> seed,
        CancellationToken cancellationToken,
        bool firstRefusalEnds = false,
        Func<ushort, HandshakeResult?, Func<ushort, int>?>? rank = null,
        bool pinFirstPick = false)
    {
        var pool = candidates.Distinct().ToList();
        var accepted = new List<ushort>();
        var steps = ImmutableArray.CreateBuilder<RemovalStep>();
        var errors = ImmutableArray.CreateBuilder<ProbeFailure>();
        var tested = new HashSet<ushort>();
        foreach (var s in seed)
        {
            if (s.Pick is { } p && s.Offered.Contains(p) && pool.Remove(p))
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

            ushort? pinned = null;
            if (pinFirstPick && accepted.Count == 1 && steps.Count == 1 && pool.Count == 0 && current.Count < size)
            {
                pinned = accepted[0];
                list.Add(accepted[0]);
            }

            var o = await offer([.. list], cancellationToken).ConfigureAwait(false);
            if (o.Kind == OfferKind.Retry)
            {
                continue;
            }

            tested.UnionWith(o.Offered);
            if (pinned is { } again && o.Kind == OfferKind.Accepted && o.Pick == again)
            {
                // The server's own order: the same pick again. The next offer goes the other way, as after a new pick.
                steps.Add(new RemovalStep(o.Offered, again, o.Handshake));
                reverse = !reverse;
                continue;
            }

            if (pinned is not null && o.Kind != OfferKind.Accepted)
            {
                // Refused or failed although it held a value accepted a moment ago: no usable answer about the rest.
                errors.Add(o.Failure ?? new ProbeFailure(FailureKind.ProtocolError, $"an offer holding 0x{pinned:X4}, accepted before, got {o.Refusal ?? "no answer"}"));
                break;
            }
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
}
