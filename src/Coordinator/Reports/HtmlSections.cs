using XmppScanCluster.Shared.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Coordinator.Output;
using System.Text;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports;

/// <summary>The fact sections of the HTML report (DNS, XMPP, protocols, suites, key exchange, certificates, weaknesses).
/// Everything from the server or DNS goes through <see cref="HtmlReportRenderer.E"/>.</summary>
internal static class HtmlSections
{
    public static void Dns(StringBuilder html, DnsReport? dns)
    {
        if (dns is null) return;
        html.Append("<h3>DNS</h3><table><tr><th>SRV</th><th>target</th><th>port</th><th>priority</th><th>weight</th></tr>");
        foreach (var srv in dns.Srv)
        {
            html.Append("<tr><td>").Append(E(srv.Name)).Append("</td><td>").Append(E(srv.Target)).Append("</td><td>").Append(srv.Port)
                .Append("</td><td>").Append(srv.Priority).Append("</td><td>").Append(srv.Weight).Append("</td></tr>");
        }

        html.Append("</table><p>").Append(E(dns.AddressFallback ? "No SRV records: the domain's own addresses are used. " : ""))
            .Append(E($"DNSSEC of SRV: {dns.SrvDnssec.ToString().ToLowerInvariant()}.")).Append("</p>\n");
    }

    public static void Endpoint(StringBuilder html, DomainReport domain, EndpointReport endpoint, GradeResult? grade)
    {
        html.Append("<div class=\"endpoint\"><h3>").Append(E($"{endpoint.Target} {endpoint.Address}:{endpoint.Port} {endpoint.Transport.Name()}")).Append("</h3>\n");
        if (grade is not null) Grade(html, grade);
        if (endpoint.Failure is { } failure)
        {
            html.Append("<p class=\"fail\">").Append(E(failure.Words())).Append("</p>");
        }

        Xmpp(html, endpoint.Xmpp);
        if (endpoint.Tls is { } tls)
        {
            html.Append("<p>Session: ").Append(E($"{tls.Protocol} {tls.CipherSuite?.Name}")).Append("</p>");
        }

        if (endpoint.Assessment is { } assessment) Assessment(html, assessment);
        if (endpoint.Certificate is { } certificate) Certificate(html, certificate);
        if (endpoint.Vulnerabilities is { } vulnerabilities) Vulnerabilities(html, vulnerabilities, endpoint.Assessment?.KeyExchange.DhGroups);
        else Weaknesses(html, GradingInput.From(domain, endpoint));
        if (endpoint.ClientSimulation is { } clients) Clients(html, clients);
        html.Append("</div>\n");
    }

    private static void Xmpp(StringBuilder html, XmppStreamFacts? xmpp)
    {
        if (xmpp is null) return;
        html.Append("<h4>XMPP</h4><table>");
        Row(html, "stream from", xmpp.From);
        Row(html, "version", xmpp.Version);
        if (xmpp.PreTlsFeatures is { } pre)
        {
            Row(html, "STARTTLS", Output.Words.Of(pre.StartTls));
            Row(html, "SASL before TLS", string.Join(" ", pre.SaslMechanisms));
        }

        if (xmpp.PostTlsFeatures is { } post)
        {
            Row(html, "SASL after TLS", string.Join(" ", post.SaslMechanisms));
            Row(html, "dialback", post.Dialback ? "offered" : "not offered");
        }

        if (xmpp.StreamError is { } error) Row(html, "stream error", error.ToString());
        html.Append("</table>\n");
    }

    private static void Assessment(StringBuilder html, TlsAssessmentReport assessment)
    {
        html.Append("<h4>Protocols</h4><table><tr>");
        foreach (var p in assessment.Protocols) html.Append("<th>").Append(E(p.Protocol)).Append("</th>");
        html.Append("</tr><tr>");
        // Inconclusive is not "no" (issue 16): the reason is in the cell's title.
        foreach (var p in assessment.Protocols)
        {
            html.Append(p.Supported ? "<td class=\"yes\">yes</td>"
                : p.Inconclusive is { } why ? "<td title=\"" + E(why) + "\">inconclusive</td>"
                : "<td class=\"no\">no</td>");
        }

        html.Append("</tr></table>\n");
        if (assessment.Sharing is { } sharing) Sharing(html, sharing);
        foreach (var contradiction in assessment.Contradictions ?? [])
        {
            html.Append("<p class=\"weak\">contradiction: ").Append(E(contradiction)).Append("</p>\n");
        }

        foreach (var p in assessment.Protocols.Where(p => p.Supported && p.Suites.Count > 0))
        {
            html.Append("<h4>Suites ").Append(E(p.Protocol)).Append(" <small>(").Append(E(p.SuiteOrder.ToString().ToLowerInvariant())).Append(" order)</small></h4>")
                .Append("<table><tr><th>code</th><th>suite</th><th>bits</th><th>FS</th><th>AEAD</th><th>key exchange</th></tr>");
            foreach (var s in p.Suites)
            {
                var anonymous = Shared.Tls.CipherSuiteRegistry.Find((ushort)s.Code) is { IsAnonymous: true };
                var weak = s.Bits < 112 || !s.ForwardSecrecy || anonymous ? " class=\"weak\"" : "";
                html.Append("<tr").Append(weak).Append("><td>").Append(E(s.Hex)).Append("</td><td>").Append(E(s.Name)).Append("</td><td>").Append(s.Bits)
                    .Append("</td><td>").Append(s.ForwardSecrecy ? "yes" : "no").Append("</td><td>").Append(s.Aead ? "yes" : "no")
                    .Append("</td><td>").Append(E(s.KeyExchange)).Append("</td></tr>");
            }

            html.Append("</table>\n");
        }

        var kx = assessment.KeyExchange;
        html.Append("<h4>Key exchange</h4><table>");
        Row(html, "DH groups", string.Join(", ", kx.DhGroups.Select(g => $"{g.Bits} {g.Name ?? "custom"}")));
        Row(html, "ECDHE curves", string.Join(", ", kx.EcdheCurves.Select(c => c.Name)) + $" ({kx.EcdheCurveOrder.ToString().ToLowerInvariant()} order)");
        Row(html, "TLS 1.3 groups", string.Join(", ", kx.Tls13Groups.Select(c => c.Name)) + $" ({kx.Tls13GroupOrder.ToString().ToLowerInvariant()} order)");
        html.Append("</table>\n");
    }

    /// <summary>Whose assessment this is (issue 14) and the hellos that verified it, or the one that differed.</summary>
    private static void Sharing(StringBuilder html, AssessmentSharing sharing)
    {
        html.Append("<p class=\"shared\">").Append(sharing.Verified
            ? $"assessed with {E(sharing.Source.ToString())} (verified by {sharing.Hellos.Count} hellos)"
            : $"assessed on its own: the verification against {E(sharing.Source.ToString())} differed").Append("</p>\n")
            .Append("<table><tr><th>verification hello</th><th>expected</th><th>answered</th></tr>");
        foreach (var h in sharing.Hellos)
        {
            html.Append(h.Match ? "<tr>" : "<tr class=\"weak\">").Append("<td>").Append(E(h.Hello)).Append("</td><td>").Append(E(h.Expected))
                .Append("</td><td>").Append(E(h.Answered)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Certificate(StringBuilder html, CertificateReport certificate)
    {
        html.Append("<h4>Certificates</h4><table><tr><th>#</th><th>subject</th><th>issuer</th><th>valid</th><th>key</th><th>signature</th></tr>");
        for (var i = 0; i < certificate.Chain.Count; i++)
        {
            var c = certificate.Chain[i];
            html.Append("<tr><td>").Append(i).Append("</td><td>").Append(E(c.Subject)).Append("</td><td>").Append(E(c.Issuer))
                .Append("</td><td>").Append(E($"{c.NotBefore:yyyy-MM-dd} – {c.NotAfter:yyyy-MM-dd}")).Append("</td><td>")
                .Append(E(Output.Words.Key(c.KeyAlgorithm, c.KeyBits))).Append("</td><td>").Append(E(c.SignatureAlgorithm)).Append("</td></tr>");
        }

        html.Append("</table><table>");
        if (certificate.Chain.Count > 0)
        {
            Row(html, "names", string.Join(", ", certificate.Chain[0].SubjectAltNames.Select(s => $"{s.Type}: {s.Value}")));
        }

        Row(html, "trusted", certificate.Trust.Trusted ? "yes" + (certificate.Trust.AnchorSubject is { } a ? $" (anchor {a})" : "") : "no");
        foreach (var issue in certificate.Trust.Issues) Row(html, "issue", $"{issue.Problem}: {issue.Message}");
        if (certificate.Identity is { } id)
        {
            Row(html, "identity", id.Matched ? $"matches {id.ReferenceIdentity} by {id.MatchedBy} ({id.MatchedIdentifier})" : $"does not match {id.ReferenceIdentity}");
        }

        if (certificate.Dane is { } dane) Row(html, "DANE", $"{dane.TlsaName}: {Output.Words.Of(dane.Verdict.Result)} — {dane.Verdict.Message}");
        if (certificate.Ocsp is { } ocsp) Row(html, "OCSP staple", string.IsNullOrEmpty(ocsp.Message) ? Output.Words.Of(ocsp.Status) : $"{Output.Words.Of(ocsp.Status)}: {ocsp.Message}");
        html.Append("</table>\n");
    }

    /// <summary>The probes' verdicts and the derived weaknesses, the same words as the text report.</summary>
    private static void Vulnerabilities(StringBuilder html, VulnerabilityReport report, IReadOnlyList<DhGroupFacts>? dhGroups)
    {
        html.Append("<h4>Vulnerabilities (").Append(report.Connections).Append(" connections)</h4>");
        foreach (var line in VulnerabilitySection.ReusedLines(report))
        {
            html.Append("<p class=\"shared\">").Append(E(line)).Append("</p>");
        }

        html.Append("<table>");
        foreach (var (check, verdict) in VulnerabilitySection.Rows(report, dhGroups))
        {
            var cls = verdict.StartsWith("VULNERABLE", StringComparison.Ordinal) ? "weak" : verdict.StartsWith("safe", StringComparison.Ordinal) ? "yes" : "";
            html.Append("<tr><th>").Append(E(check)).Append("</th><td class=\"").Append(cls).Append("\">").Append(E(verdict)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    /// <summary>What each simulated client would negotiate, replayed from its recorded ClientHello.</summary>
    private static void Clients(StringBuilder html, ClientSimulationReport report)
    {
        html.Append("<h4>Client simulation (").Append(report.Clients.Count).Append(" profiles)</h4>");
        if (ClientSimulationSection.ReusedLine(report) is { } reused)
        {
            html.Append("<p class=\"shared\">").Append(E(reused)).Append("</p>");
        }

        html.Append("<table>")
            .Append("<tr><th>client</th><th>protocol</th><th>suite</th><th>key exchange</th></tr>");
        foreach (var c in report.Clients)
        {
            html.Append("<tr><td>").Append(E(c.ProfileId)).Append("</td>");
            if (c.Outcome != SimulationOutcome.Negotiated)
            {
                html.Append("<td colspan=\"3\" class=\"weak\">").Append(E(ClientSimulationSection.Failure(c))).Append("</td></tr>");
                continue;
            }

            html.Append("<td>").Append(E(c.Protocol?.Name())).Append("</td><td>").Append(E(c.CipherSuiteName))
                .Append("</td><td>").Append(E(ClientSimulationSection.KeyExchangeText(c))).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Weaknesses(StringBuilder html, GradingInput input)
    {
        if (!input.HasTls) return;
        html.Append("<h4>Weaknesses (derived from the suites)</h4><table>");
        foreach (var f in input.Derived)
        {
            html.Append("<tr><td class=\"").Append(f.Present ? "weak\">yes" : "yes\">no").Append("</td><th>").Append(E(f.Name))
                .Append("</th><td>").Append(E(f.Reason)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void Row(StringBuilder html, string name, string? value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
}
