namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// How many of the node's slots <see cref="TargetSlots"/> may hand out at once: the bound the operator gave
/// (<see cref="Fixed"/>), or the memory-sized default reached by a ramp (<see cref="Ramp"/>) that grows while the node keeps
/// up and halves when it falls behind — additive increase, multiplicative decrease, as TCP's congestion window does.
/// bench/federation measured why (500 domains at spacing 0.1 s on 2 loaded cores): with every target of the 211-slot
/// default started at once the CPU saturated and the busiest address idled through the first 20 s (1.50–1.58 × the
/// floor, against 1.31–1.36 × with 16 in flight). A pure state machine: no clock, no actor; the caller says when a
/// target finished and when the node was behind (<see cref="NodeLagProbe"/>), so tests drive it by messages alone.
/// <list type="bullet">
/// <item>Slow start: from <c>start</c>, each target finished while the window was full adds one (the window doubles per
/// window of finished targets) up to twice <c>start</c> or the first time the node is behind, whichever comes first.
/// (bench/federation, 500 domains at spacing 0.1 s, load 38: doubling on until the node lagged took the window to 80 in
/// 28 s, and the busiest address idled 21 s.)</item>
/// <item>Then one more per window of targets finished while it was full and the node was not behind during the last
/// window of finished targets. A window not full does not grow: demand, not time, earns it (else a quiet phase would
/// open it wide for the next burst).</item>
/// <item>Behind: no growth for a window of finished targets, and the window halves, never below <c>start</c>, at most
/// once per window of finished targets (the targets started before the cut take that long to leave; cutting again for
/// the same congestion would overshoot).</item>
/// </list>
/// </summary>
public sealed class SlotWindow
{
    private readonly int _min;
    private double _limit;
    private bool _slowStart = true;
    private int _credit;
    private long _finishedSinceCut = long.MaxValue / 2;
    private long _finishedSinceBehind = long.MaxValue / 2;

    private SlotWindow(int start, int max, bool ramps)
    {
        Max = Math.Max(1, max);
        _min = Math.Clamp(start, 1, Max);
        _limit = ramps ? _min : Max;
        Ramps = ramps;
    }

    /// <summary>The node's bound: never more slots in use (the critical path's lanes included).</summary>
    public int Max { get; }

    /// <summary>Where a ramp starts, and the least it falls back to.</summary>
    public int Start => _min;

    /// <summary>False for a bound the operator gave: it neither grows nor shrinks.</summary>
    public bool Ramps { get; }

    /// <summary>Slots that may be in use now (the busiest address's lanes may exceed it, up to <see cref="Max"/>).</summary>
    public int Limit => (int)_limit;

    /// <summary>How often the window was halved.</summary>
    public int Cuts { get; private set; }

    /// <summary>The largest <see cref="Limit"/> reached.</summary>
    public int Peak { get; private set; }

    /// <summary>A bound that stays <paramref name="capacity"/> (<c>--targets-in-flight N</c>).</summary>
    public static SlotWindow Fixed(int capacity) => new(capacity, capacity, ramps: false) { Peak = Math.Max(1, capacity) };

    /// <summary>A window from <paramref name="start"/> up to <paramref name="max"/> (the memory-sized default).</summary>
    public static SlotWindow Ramp(int start, int max)
    {
        var window = new SlotWindow(start, max, ramps: true);
        window.Peak = window.Limit;
        return window;
    }

    /// <summary>A target finished; <paramref name="windowWasFull"/>: every slot the window allows was in use.</summary>
    public void Finished(bool windowWasFull)
    {
        _finishedSinceCut++;
        _finishedSinceBehind++;
        if (!Ramps || !windowWasFull || _finishedSinceBehind <= Limit)
        {
            return;
        }

        if (_slowStart)
        {
            _limit = Math.Min(Max, _limit + 1);
            _slowStart = _limit < 2 * _min;
        }
        else if (++_credit >= Limit)
        {
            _limit = Math.Min(Max, _limit + 1);
            _credit = 0;
        }

        Peak = Math.Max(Peak, Limit);
    }

    /// <summary>The node fell behind (its scheduling lagged): no growth for a window of finished targets; halve, unless
    /// it was cut less than a window of finished targets ago. True when it was cut.</summary>
    public bool Behind()
    {
        _finishedSinceBehind = 0;
        _slowStart = false;
        if (!Ramps || _finishedSinceCut < Limit || Limit <= _min)
        {
            return false;
        }

        _limit = Math.Max(_min, Math.Floor(_limit / 2));
        _finishedSinceCut = 0;
        Cuts++;
        return true;
    }
}
