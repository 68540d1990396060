namespace XmppScanCluster.Coordinator.Tests.Store.Support;

/// <summary>A clock the test moves by hand, so lease expiry is tested without waiting.</summary>
public sealed class FakeTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
