using XmppScanCluster.Shared.ClientSimulation;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// The client handshake simulation of one endpoint: what the server chose for each client profile's recorded
/// ClientHello (one connection each), in catalog order.
/// </summary>
/// <param name="Clients">One entry per profile (<see cref="ClientSimulationFacts.ProfileId"/> names it).</param>
/// <param name="Connections">Connections the simulation opened, counted by the endpoint's connection factory.</param>
public sealed record ClientSimulationReport(IReadOnlyList<ClientSimulationFacts> Clients, int Connections);
