using System.Text;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using XmppScanCluster.Coordinator.Reports.Site;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Clients.Matrix;

/// <summary>
/// index.html (the matrix) and one page per transcript, in the census site's look (its site.css). Everything the
/// client sent — its stream header, SASL payloads, its own output — is untrusted and HTML-escaped; the pages carry
/// the site's Content-Security-Policy (no script at all here).
/// </summary>
public static class MatrixHtml
{
    private const string Csp = "default-src 'none'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    public static async Task WriteAsync(ClientMatrix matrix, string outDir, CancellationToken ct)
    {
        await File.WriteAllTextAsync(Path.Combine(outDir, SiteLook.FileName), SiteLook.Css, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "index.html"), Index(matrix), ct).ConfigureAwait(false);
        var dir = Directory.CreateDirectory(Path.Combine(outDir, "transcripts")).FullName;
        foreach (var cell in matrix.Cells)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, cell.TranscriptName + ".html"), TranscriptPage(matrix, cell), ct).ConfigureAwait(false);
        }
    }

    public static string Index(ClientMatrix matrix)
    {
        var body = new StringBuilder();
        body.Append("<h2>XMPP clients against hostile servers</h2><p class=\"meta\">Each column is a real client implementation in its default and its strictest documented configuration; each row a server behaviour on its own loopback address and DNS zone. The verdict comes from what the server saw on the wire. Cells marked ✗ are not what a careful client does; click a cell for its transcript.</p>");
        body.Append("<table class=\"list\"><thead><tr><th>scenario</th><th>expected</th>");
        foreach (var client in matrix.Clients)
        {
            foreach (var mode in matrix.Modes)
            {
                body.Append("<th>").Append(E(client.Name)).Append("<br>").Append(E(mode)).Append("<br><small>").Append(E(client.Version)).Append("</small></th>");
            }
        }

        body.Append("</tr></thead><tbody>");
        foreach (var scenario in matrix.Scenarios)
        {
            body.Append("<tr><th title=\"").Append(E(scenario.Why)).Append("\">").Append(E(scenario.Title)).Append("</th><td>")
                .Append(scenario.Expect == Expectation.Refuse ? "refuse" : "authenticate over TLS").Append("</td>");
            foreach (var client in matrix.Clients)
            {
                foreach (var mode in matrix.Modes)
                {
                    var cell = matrix.Cell(scenario.Id, client.Name, mode);
                    if (cell is null)
                    {
                        body.Append("<td>—</td>");
                        continue;
                    }

                    body.Append("<td class=\"").Append(Css(cell.Verdict)).Append("\"><a href=\"transcripts/").Append(cell.TranscriptName).Append(".html\">")
                        .Append(Mark(cell.Verdict)).Append(E(Verdict.Words(cell.Verdict.Kind))).Append("</a>");
                    if (cell.Verdict.Mechanism is { } m)
                    {
                        body.Append("<br><small>").Append(E(m)).Append("</small>");
                    }

                    body.Append("</td>");
                }
            }

            body.Append("</tr>");
        }

        body.Append("</tbody></table><h2>Clients</h2><table class=\"list\"><thead><tr><th>client</th><th>stack</th><th>package</th><th>version</th><th>strict mode</th></tr></thead><tbody>");
        foreach (var c in matrix.Clients)
        {
            body.Append("<tr><td>").Append(E(c.Name)).Append("</td><td>").Append(E(c.Stack)).Append("</td><td>").Append(E(c.Package))
                .Append("</td><td>").Append(E(c.Version)).Append("</td><td>").Append(E(c.Strict)).Append("</td></tr>");
        }

        body.Append("</tbody></table><p><a href=\"matrix.json\">matrix.json</a> (<a href=\"matrix.schema.json\">schema</a>) · <a href=\"matrix.txt\">matrix.txt</a></p>");
        return Page("XMPP client matrix", "", body.ToString(), matrix);
    }

    private static string TranscriptPage(ClientMatrix matrix, MatrixCell cell)
    {
        var v = cell.Verdict;
        var body = new StringBuilder();
        body.Append("<h2>").Append(E(cell.Client)).Append(' ').Append(E(cell.Mode)).Append(" — ").Append(E(cell.Scenario)).Append("</h2>")
            .Append("<p class=\"").Append(Css(v)).Append("\"><b>").Append(E(Verdict.Words(v.Kind))).Append("</b> — ")
            .Append(v.MeetsExpectation ? "as a careful client does" : "not what a careful client does").Append("</p><table class=\"nums\">");
        Row(body, "mechanism", v.Mechanism);
        Row(body, "TLS", v.TlsProtocol);
        Row(body, "aborted", v.AbortedAt);
        Row(body, "channel binding", v.ChannelBinding);
        Row(body, "connections", v.Connections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(body, "client exit code", cell.Process.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "stopped by the harness");
        body.Append("</table><h3>What the server saw</h3><table class=\"list\"><thead><tr><th>conn</th><th>event</th><th>TLS</th><th>detail</th></tr></thead><tbody>");
        foreach (var e in cell.Transcript.Events)
        {
            body.Append("<tr><td>").Append(e.Connection).Append("</td><td>").Append(E(e.Kind.ToString())).Append("</td><td>").Append(e.Encrypted ? "yes" : "no")
                .Append("</td><td>").Append(E(e.Detail)).Append(e.Mechanism is null ? "" : " " + E(e.Mechanism)).Append("</td></tr>");
        }

        body.Append("</tbody></table><h3>XML on the wire (decrypted after TLS)</h3><pre>");
        foreach (var line in cell.Transcript.Raw)
        {
            body.Append(E(line)).Append('\n');
        }

        body.Append("</pre><h3>The client's own output (not used for the verdict)</h3><pre>").Append(E(cell.Process.Output)).Append("</pre>")
            .Append("<p><a href=\"").Append(cell.TranscriptName).Append(".json\">JSON</a> · <a href=\"../index.html\">matrix</a></p>");
        return Page(cell.Client + " " + cell.Mode + " — " + cell.Scenario, "../", body.ToString(), matrix);
    }

    private static void Row(StringBuilder body, string name, string? value)
    {
        if (value is not null)
        {
            body.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }
    }

    private static string Mark(Verdict v) => v.Kind == VerdictKind.NotApplicable ? "– " : v.MeetsExpectation ? "✓ " : "✗ ";

    // Site colours: gA green for what a careful client does, gF red for a leak, gD amber for a refusal that should have
    // been a login, gN grey for "not applicable" (neither good nor bad: there was no channel binding to downgrade).
    private static string Css(Verdict v) => v.Kind == VerdictKind.NotApplicable ? "gN" : v.MeetsExpectation ? "gA" : v.Kind is VerdictKind.CredentialsInClear or VerdictKind.AcceptedBadCertificate
        or VerdictKind.AuthenticatedOverTls ? "gF" : "gD";

    private static string Page(string title, string up, string body, ClientMatrix matrix) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + Csp + "\"><meta name=\"referrer\" content=\"no-referrer\"><title>" + E(title)
        + "</title><link rel=\"stylesheet\" href=\"" + up + SiteLook.FileName + "\"></head><body>\n<header class=\"site\"><h1><a href=\"" + up
        + "index.html\">XMPP client matrix</a></h1></header>\n<main>\n" + body + "</main>\n<footer class=\"site\">xmppscan clients · "
        + E(matrix.GeneratedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)) + "</footer>\n</body></html>\n";
}
