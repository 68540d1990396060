using System.Runtime.CompilerServices;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// What the Native AOT build of xmppscan runs (issue 14: `dotnet publish -r linux-x64 -p:PublishAot=true`, measured in
/// bench/startup): <c>scan</c>, <c>ctl</c>, <c>help</c> and <c>--version</c>. The commands that start Akka.NET — the census,
/// its nodes and coordinator, and the report and statistics, which read the census journal through Akka.Persistence —
/// are refused with one line: ActorSystem.Create loads its configuration through System.Configuration, whose
/// configuration host is created by reflection and trimmed away, and Akka resolves its providers, serializers and
/// journal plugins by type name at run time. <c>clients</c> was never run AOT-compiled.
/// </summary>
public static class NativeAotCommands
{
    private static readonly string[] NeedTheJitBuild = ["census", "node", "coordinator", "report", "clients"];

    /// <summary>Why <paramref name="commandPath"/> ("xmppscan census …") cannot run in this build; null when it can
    /// (always, outside Native AOT).</summary>
    public static string? Refusal(string commandPath) => RuntimeFeature.IsDynamicCodeSupported ? null : Refusal(commandPath, nativeAot: true);

    /// <summary>The decision for a build with or without Native AOT (testable from a JIT test host).</summary>
    public static string? Refusal(string commandPath, bool nativeAot)
    {
        var words = commandPath.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return nativeAot && words.Length > 1 && NeedTheJitBuild.Contains(words[1], StringComparer.Ordinal)
            ? $"not available in the Native AOT build (the census runtime, Akka.NET, needs run-time reflection); use the framework-dependent or ReadyToRun build for '{words[1]}'"
            : null;
    }
}
