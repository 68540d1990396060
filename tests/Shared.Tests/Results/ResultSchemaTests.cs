using System.Text.Json;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Tests.Results;

public class ResultSchemaTests
{
    private static string PublishedPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "Shared", "Results", ResultSchema.FileName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException(ResultSchema.FileName);
    }

    [Fact]
    public void PublishedSchema_matchesTheResultModel()
    {
        var path = PublishedPath();
        var generated = ResultSchema.Generate();
        if (Environment.GetEnvironmentVariable("XMPPSCAN_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.ReadAllText(path) == generated,
            $"{path} is out of date with the result model; if the change is intended (additive within schema version "
            + $"{SharedAssembly.ResultSchemaVersion}), run the tests once with XMPPSCAN_UPDATE_SCHEMA=1 and commit the file.");
    }

    [Fact]
    public void PublishedSchema_describesSnakeCaseFieldsAndStringEnums()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(PublishedPath()));
        var text = schema.RootElement.ToString();
        Assert.Contains("\"schema_version\"", text, StringComparison.Ordinal);
        Assert.Contains("\"direct_tls\"", text, StringComparison.Ordinal);
        Assert.Contains("\"c2s\"", text, StringComparison.Ordinal);
    }
}
