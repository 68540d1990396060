using XmppScanCluster.Coordinator.Clients.Drivers;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.Coordinator.Clients.Verdicts;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>The matrix outputs: every client-sent string escaped, cells linked to transcripts, JSON matching its schema.</summary>
public sealed class MatrixOutputTests
{
    private const string Hostile = "<script>alert(1)</script>\"'&";

    private static ClientMatrix Matrix()
    {
        var scenario = ScenarioCatalog.Find("starttls-stripped")!;
        var events = new WireEvent[] { new(1, WireEventKind.Connected, false), new(1, WireEventKind.StreamOpened, false, Hostile),
            new(1, WireEventKind.CredentialsSent, false, "PLAIN password", "PLAIN") };
        var verdict = VerdictJudge.Judge(scenario, events);
        var cell = new MatrixCell(scenario.Id, "evil", "default", verdict, new Transcript(scenario.Id, events, ["C1: " + Hostile]),
            new ClientProcessResult(1, Hostile));
        return new ClientMatrix(DateTimeOffset.UnixEpoch, [scenario], [new MatrixClient("evil", Hostile, "pkg", "1.0", Hostile)], ["default"], [cell]);
    }

    [Fact]
    public async Task ClientSentText_isEscapedOnEveryPage_andCellsLinkToTranscripts()
    {
        var dir = Directory.CreateTempSubdirectory("matrix-html-").FullName;
        await MatrixHtml.WriteAsync(Matrix(), dir, CancellationToken.None);

        var index = await File.ReadAllTextAsync(Path.Combine(dir, "index.html"));
        var transcript = await File.ReadAllTextAsync(Path.Combine(dir, "transcripts", "starttls-stripped--evil-default.html"));

        foreach (var page in new[] { index, transcript })
        {
            Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"transcripts/starttls-stripped--evil-default.html\"", index, StringComparison.Ordinal);
        Assert.Contains("sent credentials in the clear", index, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "site.css")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task MatrixJson_roundTripsTranscripts_andHasASchemaNamingEveryField()
    {
        var dir = Directory.CreateTempSubdirectory("matrix-json-").FullName;
        await MatrixJson.WriteAsync(Matrix(), dir, CancellationToken.None);

        var matrix = await File.ReadAllTextAsync(Path.Combine(dir, "matrix.json"));
        var schema = await File.ReadAllTextAsync(Path.Combine(dir, "matrix.schema.json"));
        var transcript = MatrixJson.ReadTranscript(await File.ReadAllTextAsync(Path.Combine(dir, "transcripts", "starttls-stripped--evil-default.json")));

        Assert.Contains("\"verdict\": \"credentials_in_clear\"", matrix, StringComparison.Ordinal);
        foreach (var field in new[] { "schema_version", "clients", "scenarios", "cells", "meets_expectation", "aborted_at", "transcript" })
        {
            Assert.Contains("\"" + field + "\"", schema, StringComparison.Ordinal);
        }

        Assert.Equal(VerdictKind.CredentialsInClear, VerdictJudge.Judge(ScenarioCatalog.Find(transcript.Scenario)!, transcript.Events).Kind);
        Directory.Delete(dir, recursive: true);
    }
}
