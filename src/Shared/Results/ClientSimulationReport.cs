using XmppScanCluster.Shared.ClientSimulation;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// The client handshake simulation of one endpoint: what the server chose for each client profile's recorded
/// ClientHello (one connection each), in catalog order.
/// </summary>
/// <param name="Clients">One entry per profile (<see cref="ClientSimulationFacts.ProfileId"/> names it).</param>
/// <param name="Connections">Connections the simulation opened, counted by the endpoint's connection factory (0 when
/// <paramref name="ReusedFrom"/> is set).</param>
/// <param name="ReusedFrom">Additive (issue 14), null when the simulation ran on this endpoint: the endpoint of the same
/// verified TLS service, offering the same ALPN, whose simulation this is (what a client negotiates is the service's answer
/// to its hello; the endpoint's own SNI went into the verification hellos).</param>
public sealed record ClientSimulationReport(IReadOnlyList<ClientSimulationFacts> Clients, int Connections, SharedSource? ReusedFrom = null);
