using XmppScanCluster.Coordinator.Clients.Drivers;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Verdicts;

namespace XmppScanCluster.Coordinator.Clients.Matrix;

/// <summary>A client implementation as measured: name, stack, package and the version dpkg reported.</summary>
public sealed record MatrixClient(string Name, string Stack, string Package, string Version, string Strict);

/// <summary>One client × mode × scenario run: the verdict and its evidence.</summary>
public sealed record MatrixCell(string Scenario, string Client, string Mode, Verdict Verdict, Transcript Transcript, ClientProcessResult Process)
{
    /// <summary>The transcript's file name without extension: only [a-z0-9-] from our own ids.</summary>
    public string TranscriptName => Scenario + "--" + Client + "-" + Mode;
}

/// <summary>The whole measurement: what ran, when, and every cell.</summary>
public sealed record ClientMatrix(DateTimeOffset GeneratedAt, IReadOnlyList<Scenario> Scenarios, IReadOnlyList<MatrixClient> Clients,
    IReadOnlyList<string> Modes, IReadOnlyList<MatrixCell> Cells)
{
    public MatrixCell? Cell(string scenario, string client, string mode) =>
        Cells.FirstOrDefault(c => c.Scenario == scenario && c.Client == client && c.Mode == mode);
}
