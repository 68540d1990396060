using System.Text;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using static XmppScanCluster.Coordinator.Output.TerminalText;

namespace XmppScanCluster.Coordinator.Clients.Matrix;

/// <summary>The matrix as plain text: one block per client and mode, one line per scenario.</summary>
public static class MatrixText
{
    public static string Render(ClientMatrix matrix)
    {
        var text = new StringBuilder();
        text.Append("xmppscan clients — ").Append(matrix.GeneratedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        text.Append("'!' marks a client that did not do what a careful client does in that scenario.\n");
        var width = matrix.Scenarios.Select(s => s.Id.Length).DefaultIfEmpty(0).Max() + 1;
        foreach (var client in matrix.Clients)
        {
            foreach (var mode in matrix.Modes)
            {
                text.Append('\n').Append(client.Name).Append(' ').Append(mode).Append(" — ").Append(client.Package).Append(' ').Append(client.Version)
                    .Append(" (").Append(client.Stack).Append(")\n");
                foreach (var scenario in matrix.Scenarios)
                {
                    var cell = matrix.Cell(scenario.Id, client.Name, mode);
                    if (cell is null)
                    {
                        continue;
                    }

                    text.Append(cell.Verdict.MeetsExpectation || cell.Verdict.Kind == VerdictKind.NotApplicable ? "   " : " ! ").Append(scenario.Id.PadRight(width)).Append(Verdict.Words(cell.Verdict.Kind));
                    var detail = new List<string>();
                    if (cell.Verdict.Mechanism is { } m)
                    {
                        detail.Add(Safe(m));
                    }

                    if (cell.Verdict.AbortedAt is { } a)
                    {
                        detail.Add(Safe(a));
                    }

                    if (cell.Verdict.ChannelBinding is { } cb)
                    {
                        detail.Add(Safe(cb));
                    }

                    if (detail.Count > 0)
                    {
                        text.Append(" (").Append(string.Join("; ", detail)).Append(')');
                    }

                    text.Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
