using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>A real census store with a count of the calls of each of its methods (every call passed on): for tests that
/// assert how often a component reads or writes the store.</summary>
internal class CountingStore : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private ICensusStore _inner = null!;

    public static (ICensusStore Store, Func<string, int> Calls) Wrap(ICensusStore inner)
    {
        var proxy = Create<ICensusStore, CountingStore>();
        var counting = (CountingStore)(object)proxy;
        counting._inner = inner;
        return (proxy, name => counting._calls.GetValueOrDefault(name));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _calls.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
