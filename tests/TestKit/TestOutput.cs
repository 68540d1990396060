namespace XmppScanCluster.TestKit;

/// <summary>
/// Where tests leave what is worth a look after the run (screenshots, the browser tests' site): the folder named by
/// XMPPSCAN_TEST_OUTPUT (deploy/test.sh points it at its own artifacts/test-results, emptied at every run), else one
/// temporary folder per checkout. Never the main job's artifacts/ (issue 13: tests must not overwrite its output).
/// </summary>
public static class TestOutput
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("XMPPSCAN_TEST_OUTPUT") is { Length: > 0 } set
        ? set
        : Path.Combine(Path.GetTempPath(), $"xmppscan-test-output-{(uint)StableHash(RepoPaths.Root):x8}");

    public static string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    // string.GetHashCode differs per process; two test processes of one checkout must agree on the folder.
    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
