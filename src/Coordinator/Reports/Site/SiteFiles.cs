namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>The file names of the site, in one place (pages link each other by these).</summary>
internal static class SiteFiles
{
    public const string Index = "index.html";
    public const string Domains = "domains.html";
    public const string DomainsData = "domains.js";
    public const string Script = "site.js";
    public const string ReportCss = "report.css";
    public const string Compare = "compare.html";
    public const string Csv = "domains.csv";
    public const string Json = "domains.json";
    public const string Statistics = "statistics.json";
    public const string DomainDir = "domain";
    public const string BadgeDir = "badge";

    /// <summary>site.js, embedded in the assembly (written from a real .js file so it can be read and linted as one).</summary>
    public static string ScriptText { get; } = ReadResource("xmppscan.site.site.js");

    private static string ReadResource(string name)
    {
        using var stream = typeof(SiteFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
