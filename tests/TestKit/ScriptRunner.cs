using System.Diagnostics;

namespace XmppScanCluster.TestKit;

/// <summary>Runs a deploy script and captures its output; a failing script fails the test with that output.</summary>
public static class ScriptRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string file, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in time:\n{stdout.Result}\n{stderr.Result}");
        }

        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }

    public static Result RunOrFail(string file, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, params string[] arguments)
    {
        var result = Run(file, environment, timeout, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited {result.ExitCode}:\n{result.Output}");
        }

        return result;
    }
}
