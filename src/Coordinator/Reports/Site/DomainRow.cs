using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// One line of the domain table (and of domains.csv / domains.json): a domain in one mode, as a person scanning the
/// list wants it. <see cref="Failure"/> holds text a server or DNS may have sent: it is escaped wherever shown.
/// </summary>
/// <param name="Domain">The service domain.</param>
/// <param name="Mode">c2s or s2s.</param>
/// <param name="Grade">The letter under the site's policy; null when no endpoint completed a handshake.</param>
/// <param name="GradeIgnoringTrust">The letter with trust and name problems ignored.</param>
/// <param name="Score">The numeric score.</param>
/// <param name="EndpointsTls">Endpoints that completed a TLS handshake.</param>
/// <param name="Endpoints">Endpoints found (SRV targets × addresses × transports).</param>
/// <param name="Trust">"trusted", or the trust causes (expired, self_signed, wrong_name, …); empty without a certificate.</param>
/// <param name="StartTlsRequired">Every STARTTLS endpoint requires it; null without a STARTTLS endpoint.</param>
/// <param name="DirectTls">At least one XEP-0368 direct TLS endpoint answered.</param>
/// <param name="TlsVersions">Versions at least one endpoint supports, oldest first.</param>
/// <param name="Failure">Why nothing was graded (failure kind and message), when nothing was.</param>
/// <param name="Page">The file stem of the domain's page and badge (see <see cref="SafeFileNames"/>).</param>
/// <param name="SslLabsGrade">The ssllabs-2009r letter beside the site's (null when the site's policy is that one, or nothing was graded).</param>
public sealed record DomainRow(
    string Domain,
    string Mode,
    string? Grade,
    string? GradeIgnoringTrust,
    double? Score,
    int EndpointsTls,
    int Endpoints,
    IReadOnlyList<string> Trust,
    bool? StartTlsRequired,
    bool DirectTls,
    IReadOnlyList<string> TlsVersions,
    string? Failure,
    string Page,
    string? SslLabsGrade = null)
{
    private static readonly string[] VersionOrder = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

    /// <summary>The row of one graded result (the facts counted the way <see cref="StatisticsCalculator"/> counts them).</summary>
    public static DomainRow From(RegionResult result, GradeResult? sslLabs = null)
    {
        var report = result.Report;
        var handshaken = StatisticsCalculator.Handshaken(report).ToList();
        var startTls = handshaken.Where(e => e.Transport == TlsTransport.StartTls).ToList();
        var causes = StatisticsCalculator.TrustCauses(report).ToList();
        var hasCertificate = handshaken.Any(e => e.Certificate is not null);
        var versions = StatisticsCalculator.Protocols(report)
            .OrderBy(v => Array.IndexOf(VersionOrder, v) is var i and >= 0 ? i : VersionOrder.Length).ThenBy(v => v, StringComparer.Ordinal).ToList();
        string? failure = null;
        if (result.Grade is null)
        {
            var first = report.Failure ?? report.Endpoints.Select(e => e.Failure).FirstOrDefault(f => f is not null);
            failure = first is null ? "no TLS handshake" : first.Words();
        }

        return new DomainRow(report.Domain, report.Mode.Name(), result.Grade?.Grade, result.Grade?.GradeIgnoringTrust, result.Grade?.Score,
            handshaken.Count, report.Endpoints.Count, causes.Count > 0 ? causes : hasCertificate ? ["trusted"] : [],
            startTls.Count == 0 ? null : startTls.All(e => e.Xmpp?.PreTlsFeatures?.StartTls == StartTlsSupport.Required),
            handshaken.Any(e => e.Transport == TlsTransport.DirectTls), versions, failure, SafeFileNames.For(report.Domain), sslLabs?.Grade);
    }
}
