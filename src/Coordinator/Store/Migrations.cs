using System.Reflection;
using System.Text.RegularExpressions;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>One migration script: its version (the file's number), name and SQL.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The SQL migrations embedded per engine (Store/Migrations/Sqlite, Store/Migrations/Postgres), in version
/// order. Both engines must have the same versions: one schema, two dialects.
/// </summary>
public static partial class Migrations
{
    [GeneratedRegex(@"^xmppscan\.store\.(?<engine>[A-Za-z]+)/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    public static IReadOnlyList<Migration> For(string engineFolder)
    {
        var assembly = typeof(Migrations).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success || match.Groups["engine"].Value != engineFolder)
            {
                continue;
            }

            list.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value, Read(assembly, resource)));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1)
            {
                throw new InvalidOperationException($"{engineFolder} migrations must be numbered 1..n without gaps");
            }
        }

        return list.Count > 0 ? list : throw new InvalidOperationException($"no {engineFolder} migrations embedded");
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
