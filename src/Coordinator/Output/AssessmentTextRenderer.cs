using XmppScanCluster.Shared.Model;
using System.Globalization;
using System.Text;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The TLS assessment as text: which versions, then per version the accepted suites in server order (IANA
/// name, 0xXXXX code, bits, FS, AEAD, key exchange seen), then groups, signature algorithms and what it
/// cost in connections. Facts only, as the report holds them; grading is not shown here.
/// </summary>
public static class AssessmentTextRenderer
{
    private const int NameWidth = 40;
    private const int WrapAt = 76;

    /// <summary>
    /// "Shared    assessed with modern.test c2s 127.1.0.10:5222 (STARTTLS) (verified by 5 hellos)", or why the endpoint
    /// was assessed on its own after all: the first hello whose answer differed (issue 14).
    /// </summary>
    public static string SharingLine(AssessmentSharing sharing)
    {
        var source = TerminalText.Safe(sharing.Source.ToString());
        if (sharing.Verified)
        {
            return $"Shared    assessed with {source} (verified by {sharing.Hellos.Count} hellos)";
        }

        var differed = sharing.Hellos.FirstOrDefault(h => !h.Match);
        return $"Shared    assessed on its own: the verification against {source} differed"
            + (differed is null ? string.Empty
                : $" at {TerminalText.Safe(differed.Hello)} (expected {TerminalText.Safe(differed.Expected)}, answered {TerminalText.Safe(differed.Answered)})");
    }

    /// <summary>Lines without the endpoint's indentation.</summary>
    public static IEnumerable<string> Lines(TlsAssessmentReport report)
    {
        if (report.Status == ProbeStatus.Failed && report.Failure is { } failure)
        {
            yield return $"Assess    ✗ {failure.Kind.Words()}: {TerminalText.Safe(failure.Message)}";
            yield break;
        }

        if (report.Sharing is { } sharing)
        {
            yield return SharingLine(sharing);
        }

        var yes = report.Protocols.Where(p => p.Supported).Select(p => p.Protocol).Reverse().ToList();
        var no = report.Protocols.Where(p => !p.Supported && p.Inconclusive is null).Select(p => p.Protocol).ToList();
        var unknown = report.Protocols.Where(p => !p.Supported && p.Inconclusive is not null).Select(p => p.Protocol).ToList();
        yield return "Protocols " + (yes.Count == 0 ? "none established" : string.Join(" ", yes))
            + (no.Count == 0 ? string.Empty : $" (not: {string.Join(" ", no)})")
            + (unknown.Count == 0 ? string.Empty : $" (inconclusive: {string.Join(" ", unknown)})");
        foreach (var p in report.Protocols.Where(p => !p.Supported && p.Inconclusive is not null))
        {
            yield return $"          ? {p.Protocol} inconclusive, because {TerminalText.Safe(p.Inconclusive!)}";
        }

        foreach (var contradiction in report.Contradictions ?? [])
        {
            yield return $"          ! contradiction: {TerminalText.Safe(contradiction)}";
        }
        if (report.HelloProfile != "full")
        {
            var why = report.FullHelloFailure is { } f ? $": the full hello got {f.Kind.Words()}" : string.Empty;
            yield return report.HelloProfile == "windowed"
                ? $"Hello     suites offered in windows of 64{why.Replace("the full hello", "the hello with every suite", StringComparison.Ordinal)}"
                : $"Hello     compact ClientHello needed{why}";
        }

        foreach (var p in report.Protocols.Where(p => p.Supported).Reverse())
        {
            foreach (var line in ProtocolLines(p))
            {
                yield return line;
            }
        }

        foreach (var line in KeyExchangeLines(report.KeyExchange))
        {
            yield return line;
        }

        if (report.SignatureAlgorithms is { Accepted.Count: > 0 } sa)
        {
            foreach (var line in Wrap($"SigAlgs   {sa.Protocol}: ", sa.Accepted.Select(a => a.Name)))
            {
                yield return line;
            }
        }

        var c = report.Connections;
        foreach (var line in Wrap($"Cost      {c.Total} connections (floor {c.Floor}): ",
                     c.PerProbe.Select(p => $"{p.Probe} {p.Connections}")))
        {
            yield return line;
        }

        foreach (var p in report.Protocols.Where(p => p.Errors.Count > 0))
        {
            yield return $"          ! {p.Protocol}: {p.Errors[0].Kind.Words()}: {TerminalText.Safe(p.Errors[0].Message)}";
        }
    }

    private static IEnumerable<string> ProtocolLines(ProtocolAssessment p)
    {
        if (p.Ssl2CipherKinds.Count > 0)
        {
            yield return $"{p.Protocol,-9} {p.Ssl2CipherKinds.Count} cipher kinds";
            foreach (var k in p.Ssl2CipherKinds)
            {
                yield return $"  0x{k.Code:X6} {k.Name.PadRight(NameWidth - 2)} {k.Bits,3}";
            }

            yield break;
        }

        var order = p.SuiteOrder switch
        {
            NegotiationOrder.Server => "server order",
            NegotiationOrder.Client => "client order (the server takes the client's first choice)",
            NegotiationOrder.Inconsistent => "INCONSISTENT: the same hello got different suites",
            _ => "order not determined",
        };
        yield return $"{p.Protocol,-9} {p.Suites.Count} suite{(p.Suites.Count == 1 ? string.Empty : "s")}, {order}";
        foreach (var s in p.Suites)
        {
            var sb = new StringBuilder();
            sb.Append("  ").Append(s.Hex).Append(' ').Append(s.Name.PadRight(NameWidth))
                .Append(s.Bits.ToString(CultureInfo.InvariantCulture).PadLeft(4))
                .Append(s.ForwardSecrecy ? " FS" : "   ")
                .Append(s.Aead ? " AEAD" : "     ");
            if (s.KeyExchange is { } kx && p.Protocol != "TLSv1.3")
            {
                // Only the kind and the DH size: the DH, ECDHE and Groups lines below name the groups (a suite's
                // own handshake may have used any of the curves, as the scan rotates them to learn more).
                sb.Append(' ').Append(kx.StartsWith("DH ", StringComparison.Ordinal) ? string.Join(' ', kx.Split(' ').Take(2)) : kx.Split(' ')[0]);
            }

            yield return sb.ToString().TrimEnd();
        }
    }

    private static IEnumerable<string> KeyExchangeLines(KeyExchangeFacts kx)
    {
        foreach (var g in kx.DhGroups)
        {
            var name = g.Name is { } n ? $" {n} ({OriginText(g.Origin)})" : " custom prime";
            yield return $"DH        {g.Bits} bits{name}, {string.Join(" ", g.Protocols)}";
        }

        if (kx.EcdheCurves.Count > 0)
        {
            foreach (var line in Wrap($"ECDHE     {OrderWord(kx.EcdheCurveOrder)} ({kx.EcdheProtocol}): ", kx.EcdheCurves.Select(c => c.Name)))
            {
                yield return line;
            }
        }

        if (kx.Tls13Groups.Count > 0)
        {
            foreach (var line in Wrap($"Groups    TLSv1.3, {OrderWord(kx.Tls13GroupOrder)}: ", kx.Tls13Groups.Select(c => c.Name)))
            {
                yield return line;
            }
        }
    }

    private static string OriginText(string? origin) => origin switch
    {
        "rfc2409" => "RFC 2409",
        "rfc3526" => "RFC 3526",
        "rfc5114" => "RFC 5114",
        "rfc7919" => "RFC 7919",
        _ => "a widely shared built-in prime",
    };

    private static string OrderWord(NegotiationOrder order) => order switch
    {
        NegotiationOrder.Server => "server order",
        NegotiationOrder.Client => "client order",
        NegotiationOrder.Inconsistent => "INCONSISTENT: same hello, other group",
        _ => "order n/a",
    };

    /// <summary>"Head: a b c" wrapped at <see cref="WrapAt"/> columns, continuation lines indented.</summary>
    private static IEnumerable<string> Wrap(string head, IEnumerable<string> items)
    {
        var line = new StringBuilder(head);
        var empty = true;
        foreach (var item in items)
        {
            if (!empty && line.Length + 2 + item.Length + 1 > WrapAt)
            {
                yield return line.ToString().TrimEnd(',', ' ') + ",";
                line.Clear().Append(new string(' ', 10));
                empty = true;
            }

            line.Append(empty ? string.Empty : ", ").Append(item);
            empty = false;
        }

        yield return line.ToString();
    }
}
