using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// The JSON Schema of <see cref="ScanReport"/>, derived from the very options the writer uses, so the
/// published file (scan-report.schema.json beside this one) cannot silently drift: a test compares them.
/// </summary>
public static class ResultSchema
{
    public const string FileName = "scan-report.schema.json";

    public static string Generate()
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(ResultJson.Options, typeof(ScanReport),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = $"xmppscan scan --json, schema version {SharedAssembly.ResultSchemaVersion}",
        };
        foreach (var (key, value) in schema.AsObject())
        {
            root[key] = value?.DeepClone();
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
