using System.Globalization;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// The people-facing text of <c>xmppscan scan</c>: one block per domain and mode, one per endpoint, fitting
/// 80 columns. Every string that came from a server goes through <see cref="TerminalText.Safe"/>.
/// </summary>
public sealed class ScanTextRenderer(TextWriter output, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task RenderDomain(DomainReport report, CancellationToken cancellationToken)
    {
        foreach (var line in Lines(report))
        {
            await output.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public IEnumerable<string> Lines(DomainReport report)
    {
        yield return $"{report.Domain} ({report.Mode.Name()})";
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

        foreach (var endpoint in report.Endpoints)
        {
            foreach (var line in EndpointLines(endpoint))
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
            yield return $"DNS       {Safe(srv.Name)} → {Safe(srv.Target)}:{srv.Port} (priority {srv.Priority}, weight {srv.Weight})";
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

    private IEnumerable<string> EndpointLines(EndpointReport endpoint)
    {
        var address = endpoint.Address.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Address}]" : endpoint.Address;
        var mark = endpoint.Status == ProbeStatus.Failed ? "✗" : "●";
        yield return $"  {mark} {Safe(endpoint.Target)} {address}:{endpoint.Port} {endpoint.Transport.Name()} ({endpoint.ElapsedMs:0} ms)";
        if (endpoint.Xmpp is { } xmpp)
        {
            foreach (var line in XmppLines(xmpp, endpoint.Transport))
            {
                yield return "    " + line;
            }
        }

        if (endpoint.Tls is { } tls)
        {
            var suite = tls.CipherSuite is { } s ? $"{s.Name} ({s.Hex})" : "unknown suite";
            var alpn = tls.Alpn is { } a ? $", ALPN {Safe(a)}" : string.Empty;
            yield return $"    TLS       {tls.Protocol}  {suite}{alpn}";
        }

        foreach (var line in endpoint.Assessment is { } assessment ? AssessmentTextRenderer.Lines(assessment) : [])
        {
            yield return "    " + line;
        }

        if (endpoint.Certificate is { } certificate)
        {
            foreach (var line in CertificateLines(certificate))
            {
                yield return "    " + line;
            }
        }

        if (endpoint.Failure is { } failure)
        {
            yield return $"    ✗ {FailureText(failure)}";
        }
    }

    private static IEnumerable<string> XmppLines(XmppStreamFacts xmpp, TlsTransport transport)
    {
        if (transport == TlsTransport.StartTls && xmpp.PreTlsFeatures is { } pre)
        {
            var starttls = pre.StartTls switch
            {
                StartTlsSupport.Required => "STARTTLS required",
                StartTlsSupport.Offered => "STARTTLS offered but NOT required",
                _ => "STARTTLS NOT offered",
            };
            yield return $"XMPP      {starttls}";
            yield return $"SASL      before TLS: {Mechanisms(pre.SaslMechanisms)}";
        }

        if (xmpp.PostTlsFeatures is { } post)
        {
            yield return $"SASL      after TLS: {Mechanisms(post.SaslMechanisms)}";
        }

        if (xmpp.StreamError is { } error)
        {
            var text = error.Text is { Length: > 0 } t ? $" \"{Safe(t)}\"" : string.Empty;
            yield return $"XMPP      stream error <{Safe(error.Condition)}/>{text}";
        }
    }

    private IEnumerable<string> CertificateLines(CertificateReport certificate)
    {
        if (certificate.Chain.Count > 0)
        {
            var leaf = certificate.Chain[0];
            var days = (leaf.NotAfter - _clock.GetUtcNow()).TotalDays;
            var expiry = days >= 0 ? $"expires in {days:0} days" : $"EXPIRED {-days:0} days ago";
            yield return $"Cert      {Safe(leaf.Subject)}";
            yield return $"          issuer {Safe(leaf.Issuer)}";
            yield return $"          {leaf.KeyAlgorithm} {leaf.KeyBits} bits, {Safe(leaf.SignatureAlgorithm)}, "
                + $"valid {Date(leaf.NotBefore)} to {Date(leaf.NotAfter)} ({expiry})";
            yield return $"          chain of {certificate.Chain.Count} sent";
        }

        var trust = certificate.Trust;
        yield return trust.Trusted
            ? $"Trust     trusted (anchor: {Safe(trust.AnchorSubject)})"
            : "Trust     NOT TRUSTED";
        foreach (var issue in trust.Issues)
        {
            yield return $"          - {Safe(issue.Message)}";
        }

        if (certificate.Identity is { } identity)
        {
            yield return identity.Matched
                ? $"Name      matches {identity.MatchedBy} {Safe(identity.MatchedIdentifier)}"
                    + (identity.CommonNameOnlyMatch ? " (CN only: not accepted by RFC 9525)" : string.Empty)
                : $"Name      MISMATCH: {Safe(identity.ReferenceIdentity)} is not among "
                    + (identity.PresentedIdentifiers.Count == 0
                        ? "(no identifiers)"
                        : string.Join(", ", identity.PresentedIdentifiers.Take(6).Select(Identifier)));
        }

        foreach (var error in certificate.ParseErrors)
        {
            yield return $"          ! {Safe(error)}";
        }
    }

    private static string Identifier(SubjectAltName name) => $"{name.Type}:{Safe(name.Value)}";

    private static string Mechanisms(IReadOnlyList<string> mechanisms) =>
        mechanisms.Count == 0 ? "none" : string.Join(" ", mechanisms.Select(m => Safe(m)));

    private static string FailureText(ProbeFailure failure) => $"{failure.Kind}: {Safe(failure.Message)}";

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Safe(string? text) => TerminalText.Safe(text);
}
