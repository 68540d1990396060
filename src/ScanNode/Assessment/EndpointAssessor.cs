using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The assessment of one XMPP endpoint: <see cref="TlsAssessor"/> over <see cref="XmppTlsConnectionFactory"/>
/// (STARTTLS c2s/s2s or direct TLS), with the service domain as SNI (RFC 7590 §3.1). Connections to the
/// endpoint are strictly sequential, spaced by <see cref="AssessmentOptions.MinimumSpacing"/>.
/// </summary>
public sealed class EndpointAssessor(ScanLimits limits, AssessmentOptions? options = null, XmppConnectorOptions? connector = null)
{
    private readonly XmppTlsConnector _connector = new(limits, connector);
    private readonly TlsAssessor _assessor = new(limits, options);

    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<TlsAssessmentReport> AssessAsync(XmppEndpoint endpoint, CancellationToken cancellationToken) =>
        _assessor.AssessAsync(new XmppTlsConnectionFactory(_connector, endpoint), endpoint.Domain, cancellationToken);
}
