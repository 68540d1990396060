using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The people-facing text of <c>xmppscan scan</c>: one block per domain and mode, one per endpoint, wrapped (never
/// cut) to <paramref name="width"/> columns: the terminal's width, or 80 for pipes and files so their layout is stable.
/// Every string that came from a server goes through <see cref="TerminalText.Safe"/>.
/// With a policy, the grade comes first (the domain's, then each endpoint's when there are several), so a person
/// reads the verdict and its reasons before the facts: DNS, XMPP, protocols, suites, key exchange, certificates.
/// </summary>
public sealed class ScanTextRenderer(TextWriter output, TimeProvider? clock = null, IGradingPolicy? policy = null, bool color = false,
    int width = TerminalText.DefaultWidth)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly int _width = Math.Max(width, TerminalText.MinimumWidth);

    public async Task RenderDomain(DomainReport report, CancellationToken cancellationToken)
    {
        foreach (var line in Lines(report))
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every line of the report for one domain, each at most the width (longer fact lines are wrapped
    /// under their label column; nothing is cut).</summary>
    public IEnumerable<string> Lines(DomainReport report) => RawLines(report).SelectMany(Fit);

    private IEnumerable<string> Fit(string line)
    {
        if (TerminalText.VisibleLength(line) <= _width)
        {
            yield return line;
            yield break;
        }

        // A coloured line too long for the width is wrapped without its colour: breaking inside an escape sequence
        // would garble the terminal, and cutting it would lose a finding.
        line = TerminalText.StripAnsi(line);

        // Break at the last space that fits (never inside a "[...]" tag, keeping the column alignment of the rest);
        // continuation lines start under the value column: the line's indent plus the 10-column label.
        var lead = line.Length - line.TrimStart().Length;
        var indent = new string(' ', Math.Min(lead + 10, 40));
        var rest = line;
        var first = true;
        while (true)
        {
            var text = first ? rest : indent + rest;
            if (text.Length <= _width)
            {
                yield return text;
                yield break;
            }

            var cut = BreakAt(text, _width, first ? lead + 1 : indent.Length + 1);
            yield return text[..cut].TrimEnd();
            rest = text[cut..].TrimStart();
            first = false;
        }
    }

    /// <summary>The index of the last space at or before <paramref name="width"/> outside brackets, else a hard cut.</summary>
    private static int BreakAt(string text, int width, int minimum)
    {
        var depth = 0;
        var best = -1;
        for (var i = 0; i < text.Length && i <= width; i++)
        {
            depth += text[i] == '[' ? 1 : text[i] == ']' && depth > 0 ? -1 : 0;
            if (text[i] == ' ' && depth == 0 && i >= minimum) best = i;
        }

        return best > 0 ? best : width;
    }

    private IEnumerable<string> RawLines(DomainReport report)
    {
        yield return $"{report.Domain} ({report.Mode.Name()})";
        // The chosen policy's letter first; under the default (XMPP-aware) policy, the SSL Labs letter beside it.
        var all = policy is null ? [] : Grader.GradeDomain(report, policy.Name == Policies.SslLabs ? [policy] : [policy, Policies.SslLabs2009r]);
        var gradings = all.Where(g => g.Result.Policy == policy?.Name).ToList();
        var sslLabs = policy?.Name == Policies.SslLabs ? null : all.FirstOrDefault(g => g.Endpoint is null && g.Result.Policy == Policies.SslLabs)?.Result;
        var perEndpoint = gradings.Count(g => g.Endpoint is not null) > 1;
        if (gradings.FirstOrDefault(g => g.Endpoint is null) is { } domainGrade)
        {
            // "set by" only says something when several endpoints were graded.
            var shown = perEndpoint ? domainGrade.Result : domainGrade.Result with { SetBy = null };
            foreach (var line in GradeSection.Lines(shown, color, beside: sslLabs, width: _width))
            {
                yield return "  " + line;
            }
        }

        if (report.Dns is { } dns)
        {
            // Without any endpoint, the domain's failure line already says what DNS did: one line per target.
            foreach (var line in DnsLines(dns, showProblems: report.Endpoints.Count > 0))
            {
                yield return "  " + line;
            }
        }

        if (report.Endpoints.Count == 0 && report.Failure is { } failure)
        {
            yield return $"  ✗ {FailureText(failure)}";
        }
        else if (DomainOutcome.HasUnreachableEndpoints(report))
        {
            // A dead advertised endpoint is a finding: the domain is complete, the other endpoints graded.
            yield return $"  ! {Safe(report.Failure!.Message)}";
        }

        foreach (var endpoint in report.Endpoints)
        {
            var grade = perEndpoint ? gradings.FirstOrDefault(g => g.Endpoint == GradingInput.From(report, endpoint).Endpoint) : null;
            foreach (var line in EndpointLines(endpoint, report.Mode, grade?.Result))
            {
                yield return line;
            }
        }

        yield return string.Empty;
    }

    private static IEnumerable<string> DnsLines(DnsReport dns, bool showProblems)
    {
        if (dns.ServiceDisabled)
        {
            yield return "DNS       service explicitly not offered (SRV target \".\")";
        }

        foreach (var srv in dns.Srv)
        {
            yield return srv.IsServiceDisabled
                ? $"DNS       {Safe(srv.Name)} → . (not offered)"
                : $"DNS       {Safe(srv.Name)} → {Safe(srv.Target)}:{srv.Port} (priority {srv.Priority}, weight {srv.Weight})";
        }

        if (dns.AddressFallback)
        {
            yield return "DNS       no SRV records: using the domain's own addresses (RFC 6120 §3.2.2)";
        }

        if (dns.Srv.Count > 0)
        {
            yield return $"DNSSEC    SRV {dns.SrvDnssec.ToString().ToLowerInvariant()} (as reported by the resolver's AD bit)";
        }

        foreach (var problem in showProblems ? dns.Problems : [])
        {
            yield return $"DNS       ! {FailureText(problem)}";
        }
    }

    private IEnumerable<string> EndpointLines(EndpointReport endpoint, XmppMode mode, GradeResult? grade)
    {
        var address = endpoint.Address.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Address}]" : endpoint.Address;
        var mark = endpoint.Status == ProbeStatus.Failed ? "✗" : "●";
        var target = endpoint.Target == endpoint.Address ? string.Empty : Safe(endpoint.Target) + " ";
        var heading = $"  {mark} {target}{address}:{endpoint.Port} {endpoint.Transport.Name()}";
        if (endpoint.Failure is { } early && endpoint.Tls is null && endpoint.Xmpp?.PreTlsFeatures is null && endpoint.Xmpp?.StreamError is null)
        {
            // Nothing learned (refused, timeout, …): one line says where and why.
            yield return $"{heading}: {FailureText(early)} ({endpoint.ElapsedMs:0} ms)";
            yield break;
        }

        yield return $"{heading} ({endpoint.ElapsedMs:0} ms)";
        foreach (var line in grade is null ? [] : GradeSection.Lines(grade, color, indent: 4, compact: true, width: _width))
        {
            yield return "    " + line;
        }

        if (endpoint.Xmpp is { } xmpp)
        {
            foreach (var line in XmppSection.Lines(xmpp, endpoint.Transport, mode))
            {
                yield return "    " + line;
            }
        }

        if (endpoint.Tls is { Protocol: null })
        {
            // The engine's assessment below still has the facts; only the session's stream after TLS is missing.
            yield return "    TLS       no TLS library here finishes a handshake with this server" +
                (endpoint.Failure is { } why ? $": {FailureText(why)}" : string.Empty);
        }
        else if (endpoint.Tls is { } tls)
        {
            var suite = tls.CipherSuite is { } s ? $"{s.Name} ({s.Hex})" : "unknown suite";
            var alpn = tls.Alpn is { } a ? $", ALPN {Safe(a)}" : string.Empty;
            var client = tls.Client == SessionClient.Observation ? "  (observation client: the default client refused it)" : string.Empty;
            yield return $"    TLS       {tls.Protocol}  {suite}{alpn}{client}";
        }

        foreach (var line in endpoint.Assessment is { } assessment ? AssessmentTextRenderer.Lines(assessment) : [])
        {
            yield return "    " + line;
        }

        foreach (var line in endpoint.Vulnerabilities is { } v ? VulnerabilitySection.Lines(v, endpoint.Assessment?.KeyExchange.DhGroups) : [])
        {
            yield return "    " + line;
        }

        foreach (var line in endpoint.ClientSimulation is { } sim ? ClientSimulationSection.Lines(sim) : [])
        {
            yield return "    " + line;
        }

        if (endpoint.Certificate is { } certificate)
        {
            foreach (var line in CertificateSection.Lines(certificate, _clock.GetUtcNow()))
            {
                yield return "    " + line;
            }
        }

        if (endpoint.Failure is { } failure)
        {
            yield return $"    ✗ {FailureText(failure)}";
        }
    }

    private static string FailureText(ProbeFailure failure) => $"{failure.Kind.Words()}: {Safe(failure.Message)}";

    private static string Safe(string? text) => TerminalText.Safe(text);
}
