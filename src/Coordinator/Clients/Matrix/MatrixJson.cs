using System.Text.Json;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using XmppScanCluster.Shared.Json;

namespace XmppScanCluster.Coordinator.Clients.Matrix;

/// <summary>matrix.json, version 1: the matrix without the raw evidence, which each cell names by file.</summary>
public sealed record MatrixDocument(int SchemaVersion, DateTimeOffset GeneratedAt, IReadOnlyList<MatrixClient> Clients,
    IReadOnlyList<MatrixScenario> Scenarios, IReadOnlyList<MatrixCellDocument> Cells);

/// <summary>A scenario as the JSON shows it.</summary>
public sealed record MatrixScenario(string Id, string Title, string Expect, string Why);

/// <summary>A cell as the JSON shows it.</summary>
public sealed record MatrixCellDocument(string Scenario, string Client, string Mode, VerdictKind Verdict, bool MeetsExpectation,
    string? Mechanism, string? Tls, string? AbortedAt, int Connections, string Transcript)
{
    /// <summary>The channel-binding facts of a downgrade scenario (first and second visit), in words; null elsewhere. Added within version 1.</summary>
    public string? ChannelBinding { get; init; }
}

/// <summary>Writes matrix.json, matrix.schema.json (generated from the records, so they cannot drift) and one JSON transcript per cell.</summary>
public static class MatrixJson
{
    public const int SchemaVersion = 1;

    /// <summary>The generated metadata's options (<see cref="MatrixJsonContext"/>).</summary>
    public static JsonSerializerOptions Options => MatrixJsonContext.Default.Options;

    public static MatrixDocument Document(ClientMatrix matrix) => new(SchemaVersion, matrix.GeneratedAt, matrix.Clients,
        [.. matrix.Scenarios.Select(s => new MatrixScenario(s.Id, s.Title, s.Expect == Expectation.Refuse ? "refuse" : "authenticate_over_tls", s.Why))],
        [.. matrix.Cells.Select(c => new MatrixCellDocument(c.Scenario, c.Client, c.Mode, c.Verdict.Kind, c.Verdict.MeetsExpectation,
            c.Verdict.Mechanism, c.Verdict.TlsProtocol, c.Verdict.AbortedAt, c.Verdict.Connections, "transcripts/" + c.TranscriptName + ".json")
        {
            ChannelBinding = c.Verdict.ChannelBinding,
        })]);

    public static string Schema() => JsonSchemaExporter.GetJsonSchemaAsNode(Options, typeof(MatrixDocument)).ToJsonString(Options);

    public static async Task WriteAsync(ClientMatrix matrix, string outDir, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(outDir, "matrix.json"), JsonSerializer.Serialize(Document(matrix), MatrixJsonContext.Default.MatrixDocument), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "matrix.schema.json"), Schema(), ct).ConfigureAwait(false);
        var dir = Directory.CreateDirectory(Path.Combine(outDir, "transcripts")).FullName;
        foreach (var cell in matrix.Cells)
        {
            var record = new TranscriptDocument(cell.Scenario, cell.Client, cell.Mode, cell.Verdict, cell.Transcript.Events, cell.Transcript.Raw,
                cell.Process.ExitCode, cell.Process.Output);
            await File.WriteAllTextAsync(Path.Combine(dir, cell.TranscriptName + ".json"), JsonSerializer.Serialize(record, MatrixJsonContext.Default.TranscriptDocument), ct).ConfigureAwait(false);
        }
    }

    public static TranscriptDocument ReadTranscript(string json) =>
        JsonSerializer.Deserialize(json, MatrixJsonContext.Default.TranscriptDocument) ?? throw new JsonException("empty transcript");
}

/// <summary>One recorded run: the facts the verdict came from, the raw XML, and the client's own output (not used for the verdict).</summary>
public sealed record TranscriptDocument(string Scenario, string Client, string Mode, Verdict Verdict, IReadOnlyList<WireEvent> Events,
    IReadOnlyList<string> Raw, int? ExitCode, string ClientOutput);

/// <summary>Source-generated JSON of matrix.json and the transcripts: web defaults (case-insensitive reads), snake_case,
/// indented, nulls written, the two enums as snake_case strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(SnakeCaseEnum<VerdictKind>), typeof(SnakeCaseEnum<WireEventKind>)])]
[JsonSerializable(typeof(MatrixDocument))]
[JsonSerializable(typeof(TranscriptDocument))]
public sealed partial class MatrixJsonContext : JsonSerializerContext;
