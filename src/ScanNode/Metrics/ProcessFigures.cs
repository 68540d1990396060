using System.Globalization;

namespace XmppScanCluster.ScanNode.Metrics;

/// <summary>
/// What this process has spent so far, from the runtime's own counters: memory allocated, garbage collections and their
/// pauses, methods the JIT compiled and its time, CPU. A node logs it when its census ends, so an operator sees what a
/// census cost the process and bench/depth-session reads it. Why both: on a shared 2-core VM the CPU seconds of the same
/// build vary by up to 13 % from run to run (bench/depth-session README, session 18), the bytes allocated and the JIT's
/// compilations by 1–3 %, so these show a change of a few percent that CPU seconds cannot.
/// </summary>
public static class ProcessFigures
{
    /// <summary>One line: <c>process: 1939.2 MiB allocated, collections gen0 78 gen1 35 gen2 11, GC pause 2.10 s,
    /// JIT 12201 methods 3.70 s, CPU 27.10 s</c>.</summary>
    public static string Describe()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false) / (1024.0 * 1024.0);
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
        var jitTime = System.Runtime.JitInfo.GetCompilationTime(currentThread: false).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"process: {allocated:F1} MiB allocated, collections gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} "
            + $"gen2 {GC.CollectionCount(2)}, GC pause {GC.GetTotalPauseDuration().TotalSeconds:F2} s, "
            + $"JIT {jitMethods} methods {jitTime:F2} s, CPU {Environment.CpuUsage.TotalTime.TotalSeconds:F2} s");
    }
}
