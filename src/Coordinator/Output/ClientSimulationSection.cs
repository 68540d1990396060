using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The client simulation as a table: per profile the protocol, suite and key exchange the server chose
/// (<c>ECDHE x25519</c>, <c>DHE 2048</c>, <c>RSA</c>), or <c>fails: alert …</c>. The key exchange goes on a second line
/// when the row would pass 76 columns (80 with the endpoint's indentation).
/// </summary>
public static class ClientSimulationSection
{
    private const int Width = 76;

    /// <summary>Lines without the endpoint's indentation.</summary>
    public static IEnumerable<string> Lines(ClientSimulationReport report)
    {
        var failed = report.Clients.Count(c => c.Outcome != SimulationOutcome.Negotiated);
        yield return $"Clients   {report.Clients.Count} profiles, {failed} fail, {report.Connections} connections";
        if (ReusedLine(report) is { } reused)
        {
            yield return "Shared    " + TerminalText.Safe(reused, 400);
        }

        var idWidth = Math.Min(19, report.Clients.Select(c => c.ProfileId.Length).DefaultIfEmpty(0).Max());
        foreach (var c in report.Clients)
        {
            var id = "  " + TerminalText.Safe(c.ProfileId, 19).PadRight(idWidth) + " ";
            if (c.Outcome != SimulationOutcome.Negotiated)
            {
                yield return id + TerminalText.Safe(Failure(c), 400);
                continue;
            }

            var row = $"{id}{c.Protocol?.Name() ?? "?",-7} {TerminalText.Safe(c.CipherSuiteName, 50)}";
            var kx = KeyExchangeText(c);
            if (kx.Length == 0)
            {
                yield return row;
            }
            else if (row.Length + 1 + kx.Length <= Width)
            {
                yield return row + " " + kx;
            }
            else
            {
                yield return row;
                yield return new string(' ', id.Length + 8) + kx;
            }
        }
    }

    /// <summary>"reused from modern.test c2s 127.1.0.10:5222 (STARTTLS) (same TLS service, same ALPN)" when the simulation is
    /// another endpoint's (issue 14), else null; unescaped.</summary>
    public static string? ReusedLine(ClientSimulationReport report) =>
        report.ReusedFrom is { } source ? $"reused from {source} (same TLS service, same ALPN)" : null;

    /// <summary>"ECDHE x25519", "DHE 1024", "RSA", with " (HRR)" when TLS 1.3 needed a HelloRetryRequest.</summary>
    public static string KeyExchangeText(ClientSimulationFacts c)
    {
        var kx = c.KeyExchange is { } k ? k.ToString().ToUpperInvariant() : string.Empty;
        var detail = c.DhBits is { } bits ? bits.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : TerminalText.Safe(c.GroupName, 30);
        var text = string.Join(' ', new[] { kx, detail }.Where(t => t.Length > 0));
        return c.HelloRetry ? text + " (HRR)" : text;
    }

    /// <summary>Why a profile did not negotiate, in words (unescaped).</summary>
    public static string Failure(ClientSimulationFacts c) => c.Outcome switch
    {
        SimulationOutcome.HandshakeFailed when c.Alert is { } alert => "fails: alert " + alert,
        SimulationOutcome.HandshakeFailed => "fails: " + (c.Reason ?? "refused"),
        SimulationOutcome.NoTls => "no TLS: " + (c.Reason ?? "no connection"),
        _ => "inconclusive: " + (c.Reason ?? "no answer"),
    };
}
