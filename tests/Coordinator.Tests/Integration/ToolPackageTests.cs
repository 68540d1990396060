using System.Diagnostics;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>The README promises `dotnet pack` → `dotnet tool install` → `xmppscan`; this checks that promise.</summary>
public class ToolPackageTests
{
    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: the pack may wait for the build lock while another test's bench publishes Native AOT.
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(30)), $"{file} {string.Join(' ', arguments)} hung");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void PackedTool_installsAndRunsAsXmppscan()
    {
        var work = Directory.CreateTempSubdirectory("xmppscan-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "nupkg");
            // Under the build lock (deploy/dotnet.sh): other tests build and publish the same projects side by side.
            var (packCode, packOutput) = Run("bash", "deploy/dotnet.sh", "pack", "src/Coordinator", "-c", "Release", "-nologo", "-o", packages);
            Assert.True(packCode == 0, packOutput);

            var tools = Path.Combine(work.FullName, "tools");
            var (installCode, installOutput) = Run("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "XmppScanCluster.Tool");
            Assert.True(installCode == 0, installOutput);

            var (code, output) = Run(Path.Combine(tools, "xmppscan"), "scan", "--help");
            Assert.Equal(0, code);
            Assert.Contains("--trust-anchors", output, StringComparison.Ordinal);

            var (usageCode, _) = Run(Path.Combine(tools, "xmppscan"), "scan", "not a domain");
            Assert.Equal(2, usageCode);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
