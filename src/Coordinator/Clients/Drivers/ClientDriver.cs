using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Coordinator.Clients.Drivers;

/// <summary>
/// One real client implementation, as described in <c>deploy/clients/drivers.json</c>: the Debian package that
/// brings it, the command that runs it once headless (<c>COMMAND… default|strict</c>, account in the environment),
/// and what its strictest documented configuration changes.
/// </summary>
/// <param name="Name">Short id used in the matrix ("slixmpp").</param>
/// <param name="Stack">The XMPP implementation underneath ("slixmpp 1.8 (Python asyncio)").</param>
/// <param name="Package">Debian package whose version is recorded.</param>
/// <param name="Command">Program and arguments; a relative script path is relative to the drivers directory.</param>
/// <param name="Strict">What the strict mode sets, in the client's own documented words.</param>
public sealed record ClientDriver(string Name, string Stack, string Package, IReadOnlyList<string> Command, string Strict)
{
    public static readonly IReadOnlyList<string> Modes = ["default", "strict"];

    public static IReadOnlyList<ClientDriver> Load(string driversDirectory)
    {
        var path = Path.Combine(driversDirectory, "drivers.json");
        using var file = File.OpenRead(path);
        return JsonSerializer.Deserialize(file, DriverJson.Default.ListClientDriver) ?? [];
    }

    /// <summary>The installed package version (dpkg-query), or null when the package is not installed.</summary>
    public static string? InstalledVersion(string package)
    {
        var info = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-W", "-f=${Status}\t${Version}", package })
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var parts = output.Split('\t');
            return process.ExitCode == 0 && parts.Length == 2 && parts[0].EndsWith("installed", StringComparison.Ordinal)
                && !parts[0].Contains("not-installed", StringComparison.Ordinal) ? parts[1].Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Finds <c>deploy/clients</c>: $XMPPSCAN_CLIENT_DRIVERS, else upwards from the working directory and from the program.</summary>
    public static string? FindDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("XMPPSCAN_CLIENT_DRIVERS");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "clients");
                if (File.Exists(Path.Combine(candidate, "drivers.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(List<ClientDriver>))]
internal sealed partial class DriverJson : JsonSerializerContext;
