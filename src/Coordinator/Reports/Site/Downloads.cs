using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// domains.csv and domains.json: the table's rows for spreadsheets and scripts. CSV follows RFC 4180 (quotes
/// doubled, CRLF) and defuses spreadsheet formulas: a cell starting with <c>= + - @</c> or a tab gets a leading
/// apostrophe, since failure messages carry text a server sent.
/// </summary>
internal static class Downloads
{
    public static void WriteCsv(TextWriter csv, IReadOnlyList<DomainRow> rows)
    {
        csv.Write("domain,mode,grade,grade_ignoring_trust,score,endpoints_tls,endpoints,trust,starttls_required,direct_tls,tls_versions,failure,grade_ssllabs\r\n");
        foreach (var r in rows)
        {
            string[] cells = [r.Domain, r.Mode, r.Grade ?? "", r.GradeIgnoringTrust ?? "",
                r.Score?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "", r.EndpointsTls.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Endpoints.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', r.Trust),
                r.StartTlsRequired switch { true => "yes", false => "no", null => "" }, r.DirectTls ? "yes" : "no",
                string.Join(' ', r.TlsVersions), r.Failure ?? "", r.SslLabsGrade ?? ""];
            csv.Write(string.Join(',', cells.Select(Cell)));
            csv.Write("\r\n");
        }
    }

    public static void WriteJson(Stream json, IReadOnlyList<DomainRow> rows) =>
        JsonSerializer.Serialize(json, rows, SiteJsonContext.Default.IReadOnlyListDomainRow);

    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

/// <summary>Source-generated JSON of the site's downloads (snake_case, as the rest of xmppscan's JSON).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(IReadOnlyList<DomainRow>))]
internal sealed partial class SiteJsonContext : JsonSerializerContext;
