using System.Collections.Immutable;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>The answer to one offer of two lists at once (e.g. curves and signature algorithms).</summary>
public sealed record JointOffer(OfferKind Kind, ushort? PickA, ushort? PickB, HandshakeResult? Handshake, string? Refusal);

/// <summary>
/// Two removal enumerations in the same handshakes: a TLS 1.2 ECDHE handshake shows both the curve and the
/// signature algorithm the server chose, so each connection removes one of each. When an offer is refused,
/// one more offer (dimension B alone, with A's already accepted values) tells which list ran out; the other
/// then continues alone. Costs about max(|A|, |B|) + 3 connections instead of |A| + |B| + 2.
/// </summary>
public static class JointRemovalEnumerator
{
    /// <summary>Runs both enumerations. Seeds are picks already known from other handshakes; each side needs one.</summary>
    public static async Task<(RemovalResult A, RemovalResult B)> RunAsync(
        IReadOnlyList<ushort> candidatesA,
        IReadOnlyList<ushort> candidatesB,
        Func<int> window,
        Func<ImmutableArray<ushort>, ImmutableArray<ushort>, CancellationToken, Task<JointOffer>> offer,
        IReadOnlyList<RemovalStep> seedA,
        IReadOnlyList<RemovalStep> seedB,
        CancellationToken cancellationToken)
    {
        var a = new Side(candidatesA, seedA);
        var b = new Side(candidatesB, seedB);
        var errors = ImmutableArray.CreateBuilder<ProbeFailure>();
        while (a.Open || b.Open)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var listA = a.Open ? a.Next(window()) : [.. a.Accepted];
            var listB = b.Open ? b.Next(window()) : [.. b.Accepted];
            var o = await offer(listA, listB, cancellationToken).ConfigureAwait(false);
            if (o.Kind == OfferKind.Accepted)
            {
                if (!a.Take(listA, o.PickA, o.Handshake) | !b.Take(listB, o.PickB, o.Handshake))
                {
                    errors.Add(new ProbeFailure(FailureKind.ProtocolError, "the server chose a value that was not offered"));
                    break;
                }

                continue;
            }

            if (o.Kind == OfferKind.Failed)
            {
                errors.Add(o.Handshake?.Failure ?? new ProbeFailure(FailureKind.ProtocolError, "no usable answer"));
                break;
            }

            if (a.Open && b.Open)
            {
                // Which list ran out? Offer B's window again with every A already accepted: B (signature
                // algorithms) is usually the longer list, so this offer usually finds one more B for free.
                var only = await offer([.. a.Accepted], listB, cancellationToken).ConfigureAwait(false);
                if (only.Kind == OfferKind.Accepted)
                {
                    b.Take(listB, only.PickB, only.Handshake);
                    a.Refuse(listA, o);
                    continue;
                }

                if (only.Kind == OfferKind.Failed)
                {
                    errors.Add(only.Handshake?.Failure ?? new ProbeFailure(FailureKind.ProtocolError, "no usable answer"));
                    break;
                }

                b.Refuse(listB, only);
                continue; // A is still open: the next offers test it alone.
            }

            (a.Open ? a : b).Refuse(a.Open ? listA : listB, o);
        }

        return (a.Result(errors.ToImmutable()), b.Result([]));
    }

    private sealed class Side
    {
        private readonly List<ushort> _pool;
        private readonly ImmutableArray<RemovalStep>.Builder _steps = ImmutableArray.CreateBuilder<RemovalStep>();
        private readonly HashSet<ushort> _tested = [];
        private bool _reverse = true;
        private string? _refusal;

        public Side(IReadOnlyList<ushort> candidates, IReadOnlyList<RemovalStep> seeds)
        {
            _pool = candidates.Distinct().ToList();
            foreach (var seed in seeds)
            {
                if (seed.Pick is { } p && seed.Offered.Contains(p) && _pool.Remove(p))
                {
                    Accepted.Add(p);
                    _tested.Add(p);
                    _steps.Add(seed);
                }
            }
        }

        public List<ushort> Accepted { get; } = [];

        public bool Open => _pool.Count > 0;

        public ImmutableArray<ushort> Next(int window)
        {
            var list = _pool.Take(Math.Max(1, window)).ToList();
            if (_reverse)
            {
                list.Reverse();
            }

            return [.. list];
        }

        /// <summary>Records a pick from <paramref name="offered"/>; a pick of an already accepted value (offered
        /// only to keep the handshake possible) is no news. False if the pick was not offered at all.</summary>
        public bool Take(ImmutableArray<ushort> offered, ushort? pick, HandshakeResult? handshake)
        {
            if (pick is not { } p || !offered.Contains(p))
            {
                return false;
            }

            if (_pool.Remove(p))
            {
                Accepted.Add(p);
                _tested.UnionWith(offered);
                _steps.Add(new RemovalStep(offered, p, handshake));
                _reverse = !_reverse;
            }

            return true;
        }

        public void Refuse(ImmutableArray<ushort> offered, JointOffer o)
        {
            _tested.UnionWith(offered);
            _steps.Add(new RemovalStep(offered, null, o.Handshake));
            _refusal = o.Refusal;
            _pool.RemoveAll(offered.Contains);
        }

        public RemovalResult Result(ImmutableArray<ProbeFailure> errors) =>
            new([.. Accepted], _steps.ToImmutable(), _refusal, false, _tested.Count, errors);
    }
}
