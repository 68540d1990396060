using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.ClientSimulation;

namespace XmppScanCluster.ScanNode.ClientSimulation;

/// <summary>
/// Replays each client profile's recorded ClientHello against a server, one connection per profile, and
/// reports what the server chose for that client (or that it refused it). The server's answer decides, not a
/// model of its configuration: what SSL Labs' handshake simulation does, with XMPP clients' stacks.
/// </summary>
public sealed class ClientSimulator(HandshakeProbe handshakes)
{
    /// <summary>
    /// How far a simulation reaches (issue 14): what a profile negotiates is the server's answer to its hello — versions,
    /// suites, groups and signature algorithms, which the verification showed the service's endpoints answer alike, and
    /// with the endpoint's own SNI. The facts hold nothing of the certificate or the XMPP layer. The hello's ALPN is the
    /// endpoint's (XEP-0368), so the sharing also keys on it.
    /// </summary>
    public const ProbeSharing Sharing = ProbeSharing.Service;

    /// <summary>Simulates every profile in <paramref name="profiles"/> (default: the whole catalog), in order.</summary>
    public async Task<IReadOnlyList<ClientSimulationFacts>> RunAllAsync(
        HelloRewriteOptions options,
        CancellationToken cancellationToken,
        IEnumerable<ClientProfile>? profiles = null)
    {
        var results = new List<ClientSimulationFacts>();
        foreach (var profile in profiles ?? ClientProfileCatalog.All)
        {
            results.Add(await RunAsync(profile, options, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>One profile, one connection.</summary>
    public async Task<ClientSimulationFacts> RunAsync(ClientProfile profile, HelloRewriteOptions options, CancellationToken cancellationToken)
    {
        var recorded = RecordedHelloParser.Parse(profile.HelloRecords());
        if (!recorded.IsComplete)
        {
            return new ClientSimulationFacts(profile.Id, SimulationOutcome.Inconclusive) { Reason = "unusable profile: " + recorded.Error };
        }

        var hello = HelloRewriter.Rewrite(recorded.Value!, options);
        var result = await handshakes.RunAsync(hello, cancellationToken).ConfigureAwait(false);
        return SimulationVerdict.Describe(profile.Id, recorded.Value!, result, profile.Limits);
    }
}
