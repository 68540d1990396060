using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>The enumeration logic against simulated servers (no I/O): exact sets, orders and connection counts.</summary>
public class RemovalEnumeratorTests
{
    /// <summary>A simulated server: accepts <paramref name="accepted"/>, picks by its order or the client's.</summary>
    private sealed class SimServer(ushort[] accepted, bool serverOrder)
    {
        public int Offers { get; private set; }

        public Task<Offer> OfferAsync(ImmutableArray<ushort> list, CancellationToken _)
        {
            Offers++;
            ushort? pick = serverOrder
                ? accepted.Where(list.Contains).Cast<ushort?>().FirstOrDefault()
                : list.Where(accepted.Contains).Cast<ushort?>().FirstOrDefault();
            return Task.FromResult(pick is null
                ? new Offer(OfferKind.Refused, null, list, null, "alert handshake_failure")
                : new Offer(OfferKind.Accepted, pick, list, null, null));
        }
    }

    private static readonly ushort[] Candidates = [.. Enumerable.Range(1, 150).Select(i => (ushort)i)];

    [Theory]
    [InlineData(new ushort[] { 7, 3, 40 }, true)]
    [InlineData(new ushort[] { 7, 3, 40 }, false)]
    [InlineData(new ushort[] { 1, 2 }, true)]
    [InlineData(new ushort[] { 1, 2 }, false)]
    [InlineData(new ushort[] { 64, 1 }, true)]
    public async Task OneWindow_exactSetAndOrder_atFloorPlusAtMostOne(ushort[] accepted, bool serverOrder)
    {
        var server = new SimServer(accepted, serverOrder);
        var r = await RemovalEnumerator.RunAsync(Candidates[..64], () => 64, server.OfferAsync, [], CancellationToken.None);
        var (order, values) = await RemovalEnumerator.ResolveOrderAsync(r, () => 64, server.OfferAsync, CancellationToken.None);

        Assert.Equal(serverOrder ? NegotiationOrder.Server : NegotiationOrder.Client, order);
        Assert.Equal(serverOrder ? accepted : [.. accepted.Order()], values.ToArray());
        Assert.True(server.Offers <= accepted.Length + 2, $"{server.Offers} offers");
    }

    [Fact]
    public async Task SameHelloDifferentPick_isInconsistent_notServerOrder()
    {
        // Picks the lowest acceptable value the first time a list is seen, the next one the second time: every
        // enumeration step looks like a clean server order; only the identical hello sent again shows otherwise.
        var visits = new Dictionary<string, int>();
        ushort[] accepted = [3, 7, 40];
        Task<Offer> OfferAsync(ImmutableArray<ushort> list, CancellationToken _)
        {
            var acceptable = list.Where(accepted.Contains).Order().ToList();
            if (acceptable.Count == 0)
            {
                return Task.FromResult(new Offer(OfferKind.Refused, null, list, null, "alert handshake_failure"));
            }

            var key = string.Join(",", list);
            var visit = visits[key] = visits.GetValueOrDefault(key) + 1;
            return Task.FromResult(new Offer(OfferKind.Accepted, acceptable[(visit - 1) % acceptable.Count], list, null, null));
        }

        var r = await RemovalEnumerator.RunAsync(Candidates[..64], () => 64, OfferAsync, [], CancellationToken.None);
        var (order, _) = await RemovalEnumerator.ResolveOrderAsync(r, () => 64, OfferAsync, CancellationToken.None, repeatCheck: true);

        Assert.Equal(accepted, r.Accepted.Order().ToArray());
        Assert.Equal(NegotiationOrder.Inconsistent, order);
    }

    [Fact]
    public async Task AcceptedAcrossWindows_serverOrderIsReadAgain_andIsExact()
    {
        // 130 is in the third window: the first picks were made without it.
        var server = new SimServer([130, 5, 70], serverOrder: true);
        var r = await RemovalEnumerator.RunAsync(Candidates, () => 64, server.OfferAsync, [], CancellationToken.None);
        var (order, values) = await RemovalEnumerator.ResolveOrderAsync(r, () => 64, server.OfferAsync, CancellationToken.None);

        Assert.Equal(NegotiationOrder.Server, order);
        Assert.Equal([130, 5, 70], values.ToArray());
    }

    [Fact]
    public async Task RandomServers_anyWindows_exactSetAndOrder()
    {
        var random = new Random(42);
        for (var run = 0; run < 300; run++)
        {
            var accepted = Candidates.OrderBy(_ => random.Next()).Take(random.Next(0, 50)).ToArray();
            var serverOrder = random.Next(3) > 0;
            var server = new SimServer(accepted, serverOrder);
            // Half the runs re-rank the untested candidates after the first pick (as the assessment does by
            // authentication): values move between the first window and the rest.
            Func<ushort, HandshakeResult?, Func<ushort, int>?>? rank = run % 2 == 0 ? null : (pick, _) => v => (v + pick) % 3;
            var r = await RemovalEnumerator.RunAsync(Candidates, () => 64, server.OfferAsync, [], CancellationToken.None, rank: rank);
            var (order, values) = await RemovalEnumerator.ResolveOrderAsync(r, () => 64, server.OfferAsync, CancellationToken.None);

            Assert.Equal(accepted.Order(), r.Accepted.Order());
            if (accepted.Length >= 2)
            {
                Assert.Equal(serverOrder ? NegotiationOrder.Server : NegotiationOrder.Client, order);
                Assert.Equal(serverOrder ? accepted : [.. accepted.Order()], values.ToArray());
            }
        }
    }

    [Fact]
    public async Task RandomServers_oneOfferWithPinnedSecond_exactSetAndOrder_atTheFloor()
    {
        // Every candidate in one offer, the first pick pinned into the second offer, the repeat check asked for: a
        // server order costs accepted + 1 refusal + 1 repeat (the pinned offer), a client order accepted + 1.
        var random = new Random(14);
        for (var run = 0; run < 300; run++)
        {
            var accepted = Candidates.OrderBy(_ => random.Next()).Take(random.Next(2, 70)).ToArray();
            var serverOrder = random.Next(2) == 0;
            var server = new SimServer(accepted, serverOrder);
            var r = await RemovalEnumerator.RunAsync(Candidates, () => int.MaxValue, server.OfferAsync, [], CancellationToken.None,
                firstRefusalEnds: true, pinFirstPick: true);
            var (order, values) = await RemovalEnumerator.ResolveOrderAsync(r, () => int.MaxValue, server.OfferAsync, CancellationToken.None,
                repeatCheck: true);

            Assert.Equal(serverOrder ? NegotiationOrder.Server : NegotiationOrder.Client, order);
            Assert.Equal(serverOrder ? accepted : [.. accepted.Order()], values.ToArray());
            Assert.Equal(accepted.Length + (serverOrder ? 2 : 1), server.Offers);
        }
    }

    [Fact]
    public async Task OneAcceptedValue_pinnedOffer_costsOneMore_andStaysIndeterminate()
    {
        var server = new SimServer([77], serverOrder: true);
        var r = await RemovalEnumerator.RunAsync(Candidates, () => int.MaxValue, server.OfferAsync, [], CancellationToken.None, pinFirstPick: true);
        var (order, values) = await RemovalEnumerator.ResolveOrderAsync(r, () => int.MaxValue, server.OfferAsync, CancellationToken.None, repeatCheck: true);

        Assert.Equal([77], values.ToArray());
        Assert.Equal(NegotiationOrder.Indeterminate, order);
        Assert.Equal(3, server.Offers);
    }

    [Fact]
    public async Task ServerChoosingWhatWasNotOffered_isAnError_notAnException()
    {
        Task<Offer> Liar(ImmutableArray<ushort> list, CancellationToken _) =>
            Task.FromResult(new Offer(OfferKind.Accepted, 0xFFFF, list, null, null));
        var r = await RemovalEnumerator.RunAsync(Candidates, () => 64, Liar, [new RemovalStep([1, 2], 3, null)], CancellationToken.None);
        var (order, _) = await RemovalEnumerator.ResolveOrderAsync(r, () => 64, Liar, CancellationToken.None);

        Assert.Empty(r.Accepted);
        Assert.Single(r.Errors);
        Assert.Equal(NegotiationOrder.Indeterminate, order);
    }

    [Fact]
    public async Task FirstRefusalEnds_oneConnectionForAnUnsupportedVersion()
    {
        var server = new SimServer([], serverOrder: true);
        var r = await RemovalEnumerator.RunAsync(Candidates, () => 64, server.OfferAsync, [], CancellationToken.None, firstRefusalEnds: true);
        Assert.Empty(r.Accepted);
        Assert.True(r.VersionRefused);
        Assert.Equal(1, server.Offers);
    }

    [Fact]
    public async Task RandomServers_jointEnumeration_findsBothSetsExactly()
    {
        var random = new Random(1234);
        for (var run = 0; run < 300; run++)
        {
            var curves = Candidates[..30].OrderBy(_ => random.Next()).Take(random.Next(1, 8)).ToArray();
            var schemes = Candidates[..40].OrderBy(_ => random.Next()).Take(random.Next(1, 12)).ToArray();
            var serverOrder = random.Next(2) == 0;
            var offers = 0;
            Task<JointOffer> Offer(ImmutableArray<ushort> a, ImmutableArray<ushort> b, CancellationToken _)
            {
                offers++;
                ushort? Pick(ushort[] mine, ImmutableArray<ushort> list) => serverOrder
                    ? mine.Where(list.Contains).Cast<ushort?>().FirstOrDefault()
                    : list.Where(mine.Contains).Cast<ushort?>().FirstOrDefault();
                var (pa, pb) = (Pick(curves, a), Pick(schemes, b));
                return Task.FromResult(pa is null || pb is null
                    ? new JointOffer(OfferKind.Refused, null, null, null, "refused")
                    : new JointOffer(OfferKind.Accepted, pa, pb, null, null));
            }

            RemovalStep Seed(ushort[] mine) => new([.. Candidates[..40]], mine[0], null);
            var (ra, rb) = await JointRemovalEnumerator.RunAsync(Candidates[..30], Candidates[..40], () => 64, Offer,
                [Seed(curves)], [Seed(schemes)], CancellationToken.None);

            Assert.Equal(curves.Order(), ra.Accepted.Order());
            Assert.Equal(schemes.Order(), rb.Accepted.Order());
            Assert.True(offers <= Math.Max(curves.Length, schemes.Length) + 2, $"{offers} offers for {curves.Length}/{schemes.Length}");
        }
    }
}
