namespace XmppScanCluster.Shared.Tests.Events;

/// <summary>The golden samples in the checkout (tests/Shared.Tests/Events/Golden), one file per type and version.</summary>
internal static class GoldenFiles
{
    public static string Directory { get; } = Find();

    public static string PathFor(string typeName, int version) => Path.Combine(Directory, $"{typeName}.v{version}.json");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Shared.Tests", "Events", "Golden");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/Shared.Tests/Events/Golden not found above " + AppContext.BaseDirectory);
    }
}
