namespace XmppScanCluster.TestKit;

/// <summary>Finds the checkout the tests run from, so tests call the project's own deploy scripts.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XmppScanCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("XmppScanCluster.sln not found above " + AppContext.BaseDirectory);
    }
}
