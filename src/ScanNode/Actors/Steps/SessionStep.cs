using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>Keeps certificate DER once per SHA-256 (the store's <c>certs</c> table) so events carry only the hash.</summary>
public interface ICertificateSink
{
    Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct);
}

/// <summary>Reads certificate DER back by SHA-256 (lower-case hex): the census's certificate step inspects the chain the
/// session stored, without a second session.</summary>
public interface ICertificateSource
{
    /// <summary>The DER, or null when the store does not have it.</summary>
    Task<byte[]?> GetAsync(string sha256, CancellationToken ct);
}

/// <summary>
/// The session step: one full XMPP + TLS session (preamble, STARTTLS or direct TLS, one handshake, the chain)
/// and the certificate assessment. Facts: <c>endpoint_session_observed</c> (the endpoint report),
/// <c>start_tls_required</c>, <c>certificate_observed</c> per presented certificate. A reset or a
/// <c>policy-violation</c> stream error is reported as throttling, never as "TLS not supported".
/// </summary>
public sealed class SessionStep(XmppTlsSessionProbe session, CertificateAssessor certificates, ICertificateSink? sink = null)
    : IScanStep
{
    public const string StepName = "session";

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = input.Endpoint ?? throw new ArgumentException("the session step runs on an endpoint", nameof(input));
        var result = await session.RunAsync(endpoint, ct).ConfigureAwait(false);
        if (result.Protocol is null && ThrottleSignals.IsThrottling(result.Failure, result.Xmpp))
        {
            return new StepOutcome(StepStatus.Inconclusive, result.Failure, [], Throttled: true);
        }

        var tls = EndpointOutcome.SessionReport(result);
        var certificate = result.PresentedChain.Count > 0
            ? certificates.Assess(result.PresentedChain, endpoint.Domain, endpoint.Mode)
            : null;

        // A server that offers no STARTTLS was scanned; the absence of TLS is the finding. A session
        // no TLS library finished is failed here and completed by the assessment when the engine finds a protocol.
        var completed = EndpointOutcome.SessionStatus(result.Failure) == ProbeStatus.Completed;
        var report = new EndpointReport(endpoint.Target, endpoint.Address.ToString(), endpoint.Port, endpoint.Transport,
            endpoint.Priority, endpoint.Weight, endpoint.Source, completed ? ProbeStatus.Completed : ProbeStatus.Failed,
            result.Failure, result.Xmpp, tls, certificate, result.Elapsed.TotalMilliseconds);

        var where = EndpointRef.From(endpoint);
        var facts = new List<IEventData>();
        if (result.Xmpp.PreTlsFeatures?.StartTls == StartTlsSupport.Required)
        {
            facts.Add(new StartTlsRequired(where));
        }

        if (result.PresentedChain.Count > 0)
        {
            if (sink is not null)
            {
                await sink.PutAsync(result.PresentedChain, ct).ConfigureAwait(false);
            }

            for (var i = 0; i < result.PresentedChain.Count; i++)
            {
                facts.Add(new CertificateObserved(where, i, Convert.ToHexStringLower(SHA256.HashData(result.PresentedChain[i])), input.EndpointIndex));
            }
        }

        facts.Add(new EndpointSessionObserved(input.Mode, input.EndpointIndex ?? 0, report));
        return new StepOutcome(completed ? StepStatus.Completed : StepStatus.Failed, completed ? null : result.Failure, facts);
    }
}
