using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The vulnerability probes and the client simulation of an endpoint whose assessment belongs to a verified TLS service
/// (<see cref="AssessmentShares.ServiceOf"/>; issue 14): each probe's result is taken from another endpoint of the service
/// as far as the probe declares it reaches (<see cref="IVulnerabilityCheck.Sharing"/>: the whole service, the same
/// listening socket, the same certificates, or never), the simulation from one offering the same ALPN
/// (<see cref="ClientSimulator.Sharing"/>). Only what a probe found is shared: a failed or skipped result is not a fact about
/// the service, and the next endpoint runs the probe itself. A reused result says whose it is (<c>reused_from</c>) and cost
/// this endpoint no connection.
/// </summary>
internal sealed class SharedFollowUps(FollowUpProbes probes)
{
    /// <summary>Every registered check, each run here or reused; the derived weaknesses from the assessment.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<VulnerabilityReport> VulnerabilitiesAsync(EndpointConnections connections, EndpointReport report,
        TlsAssessmentReport assessment, SharedAssessment service, CancellationToken cancellationToken)
    {
        var endpoint = connections.Endpoint;
        var context = FollowUpProbes.Context(assessment, endpoint.Domain);
        var self = AssessmentShares.Source(endpoint);
        var counter = connections.Counter;
        var before = counter.Total;
        var results = new List<KeyValuePair<string, ProbeResult>>();
        foreach (var check in VulnerabilityChecks.All)
        {
            ProbeResult result;
            if (Key(check.Sharing, check.Id, endpoint, report) is not { } key)
            {
                result = await probes.RunCheckAsync(counter, check, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var turn = await service.FollowUps.TakeAsync<ProbeResult>(key, cancellationToken).ConfigureAwait(false);
                if (turn.Shared is { } shared)
                {
                    result = shared with { Connections = 0 };
                }
                else
                {
                    ProbeResult? published = null;
                    try
                    {
                        result = await probes.RunCheckAsync(counter, check, context, cancellationToken).ConfigureAwait(false);
                        if (result.Status == ProbeStatus.Completed && connections.Factory.Throttled is null)
                        {
                            published = result with { ReusedFrom = self };
                        }
                    }
                    finally
                    {
                        if (turn.Running)
                        {
                            service.FollowUps.End(key, published);
                        }
                    }
                }
            }

            results.Add(new(check.Id, result));
        }

        return VulnerabilityReport.Of(results, FollowUpProbes.Derive(assessment), counter.Total - before);
    }

    /// <summary>The simulation of another endpoint of the service that offers the same ALPN, or this endpoint's own.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<ClientSimulationReport> ClientSimulationAsync(EndpointConnections connections, EndpointReport report,
        IReadOnlyList<string>? alpn, SharedAssessment service, CancellationToken cancellationToken)
    {
        var endpoint = connections.Endpoint;
        // The profiles' hellos carry the endpoint's ALPN (XEP-0368: xmpp-client or xmpp-server on direct TLS, none on
        // STARTTLS), which a server may answer differently: shared only between endpoints that offer the same.
        if (Key(ClientSimulator.Sharing, "client_simulation", endpoint, report) is not { } scope)
        {
            return await probes.ClientSimulationAsync(connections.Counter, endpoint.Domain, alpn, cancellationToken).ConfigureAwait(false);
        }

        var key = $"{scope}|alpn={string.Join(',', alpn ?? [])}";
        var turn = await service.FollowUps.TakeAsync<ClientSimulationReport>(key, cancellationToken).ConfigureAwait(false);
        if (turn.Shared is { } shared)
        {
            return shared with { Connections = 0 };
        }

        ClientSimulationReport? published = null;
        try
        {
            var own = await probes.ClientSimulationAsync(connections.Counter, endpoint.Domain, alpn, cancellationToken).ConfigureAwait(false);
            // A profile without an answer (a timeout) is not the service's answer: such a simulation stays this endpoint's.
            if (connections.Factory.Throttled is null && own.Clients.All(c => c.Outcome != SimulationOutcome.Inconclusive))
            {
                published = own with { ReusedFrom = AssessmentShares.Source(endpoint) };
            }

            return own;
        }
        finally
        {
            if (turn.Running)
            {
                service.FollowUps.End(key, published);
            }
        }
    }

    /// <summary>
    /// The slot a result is shared in, by how far it reaches: the whole service; the listening socket (the address is
    /// the service's, so the port); the listening socket and the certificates (every leaf this endpoint's handshakes
    /// received — the session's, the assessment's, each key type's); null when it is not shared (an endpoint probe, or no
    /// certificate seen).
    /// </summary>
    private static string? Key(ProbeSharing sharing, string id, XmppEndpoint endpoint, EndpointReport report) => sharing switch
    {
        ProbeSharing.Service => $"{id}|service",
        ProbeSharing.Listener => $"{id}|port={endpoint.Port}",
        ProbeSharing.ListenerAndCertificate when Leaves(report) is { Length: > 0 } leaves => $"{id}|port={endpoint.Port}|leaves={leaves}",
        _ => null,
    };

    private static string Leaves(EndpointReport report)
    {
        var leaves = new SortedSet<string>(StringComparer.Ordinal);
        if (report.Assessment?.ChainSha256 is [var assessed, ..])
        {
            leaves.Add(assessed);
        }

        if (report.Certificate is { } certificate)
        {
            if (certificate.Chain is [var leaf, ..])
            {
                leaves.Add(leaf.Sha256);
            }

            foreach (var chain in certificate.KeyTypeChains ?? [])
            {
                if (chain.ChainSha256 is [var keyLeaf, ..])
                {
                    leaves.Add(keyLeaf);
                }
            }
        }

        return string.Join(',', leaves);
    }
}
