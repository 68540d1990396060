namespace XmppScanCluster.Shared;

/// <summary>Anchor type for assembly lookups (tests, reflection-free registries).</summary>
public static class SharedAssembly
{
    /// <summary>The version of the JSON result schema written by <c>xmppscan scan --json</c>.</summary>
    public const int ResultSchemaVersion = 1;
}
