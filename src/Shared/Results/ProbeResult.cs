using System.Text.Json;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// One vulnerability or behaviour probe's result-or-failure as stored and written, whatever the probe: a status, a
/// reason when it failed, a note when it was skipped, its facts as the probe wrote them (snake_case JSON of its own
/// facts record, read back by the probe's definition), and what it cost. Keyed by the probe's id in
/// <see cref="VulnerabilityReport.Probes"/>, so a new probe needs no new property here.
/// </summary>
/// <param name="Status">Completed (facts set), Failed (see <paramref name="Failure"/>), or Skipped (see <paramref name="Note"/>).</param>
/// <param name="Failure">Why no facts could be gathered.</param>
/// <param name="Note">Why the probe did not run, or a caveat.</param>
/// <param name="Facts">What the server did; null unless Completed.</param>
/// <param name="Connections">Connections the probe opened (0 when <paramref name="ReusedFrom"/> is set).</param>
/// <param name="ReusedFrom">Additive (issue 14), null when the probe ran on this endpoint: the endpoint of the same verified
/// TLS service whose result this is (the endpoint's assessment was verified against the same full assessment, and the probe
/// declares its outcome a property of what the two share: the TLS service, the listener, or the certificate).</param>
public sealed record ProbeResult(
    ProbeStatus Status,
    ProbeFailure? Failure,
    string? Note,
    JsonElement? Facts,
    int Connections,
    SharedSource? ReusedFrom = null);
