using System.Net;
using System.Text.RegularExpressions;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>Reads what a user reads in the dashboard's HTML: the cells of a table row, the value of a key figure.</summary>
internal static partial class HtmlCells
{
    /// <summary>The text of each cell of the first row of table <paramref name="tableId"/> whose first cell reads <paramref name="first"/>.</summary>
    public static IReadOnlyList<string> Row(string html, string tableId, string first)
    {
        var table = Regex.Match(html, $"<table[^>]*id=\"{Regex.Escape(tableId)}\".*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, $"no table #{tableId} in:\n{html}");
        foreach (Match row in RowPattern().Matches(table.Value))
        {
            var cells = CellPattern().Matches(row.Value).Select(c => Text(c.Groups[1].Value)).ToList();
            if (cells.Count > 0 && cells[0] == first)
            {
                return cells;
            }
        }

        throw new Xunit.Sdk.XunitException($"no row '{first}' in #{tableId}:\n{table.Value}");
    }

    /// <summary>Cell <paramref name="index"/> of every row of table <paramref name="tableId"/>, top to bottom.</summary>
    public static IReadOnlyList<string> Column(string html, string tableId, int index)
    {
        var table = Regex.Match(html, $"<table[^>]*id=\"{Regex.Escape(tableId)}\".*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, $"no table #{tableId} in:\n{html}");
        return [.. RowPattern().Matches(table.Value).Select(r => CellPattern().Matches(r.Value)).Where(c => c.Count > index)
            .Select(c => Text(c[index].Groups[1].Value))];
    }

    /// <summary>The big number of key figure <paramref name="id"/>.</summary>
    public static string Kpi(string html, string id)
    {
        var match = Regex.Match(html, $"<div class=\"kpi\" id=\"{Regex.Escape(id)}\"><b>(.*?)</b>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no key figure #{id}");
        return Text(match.Groups[1].Value);
    }

    /// <summary>Tags dropped, entities decoded, whitespace collapsed: what the browser shows.</summary>
    public static string Text(string html) => WebUtility.HtmlDecode(Regex.Replace(TagPattern().Replace(html, " "), @"\s+", " ").Trim());

    [GeneratedRegex("<tr[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
