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
        var probeResult = JsonSchemaExporter.GetJsonSchemaAsNode(ResultJson.Options, typeof(ProbeResult),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(ResultJson.Options, typeof(ScanReport), new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            // The probes are extension data keyed by probe id (VulnerabilityReport): describe each as a ProbeResult.
            TransformSchemaNode = (context, node) =>
            {
                if (context.TypeInfo.Type == typeof(VulnerabilityReport) && node is JsonObject report)
                {
                    report["description"] = "Each probe's result under its id (secure_renegotiation, client_renegotiation, "
                        + "fallback_scsv, compression, heartbleed, ccs_injection, session_resumption, robot, …), beside derived "
                        + "and connections; facts are the probe's own record, snake_case. A probe missing from a report did not run.";
                    report["additionalProperties"] = probeResult.DeepClone();
                }

                return node;
            },
        });
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
