namespace XmppScanCluster.Shared.ClientSimulation;

/// <summary>
/// The client profiles the simulation replays. The rows are generated from <c>deploy/clientsim/profiles.json</c>
/// and the recorded hellos (<c>ClientProfileCatalog.Data.cs</c>); adding a profile never means editing code.
/// </summary>
public static partial class ClientProfileCatalog
{
    /// <summary>Every profile, in catalog order (captured first, then published).</summary>
    public static IReadOnlyList<ClientProfile> All => Rows;

    /// <summary>The profile with <paramref name="id"/>, or null.</summary>
    public static ClientProfile? Find(string id) => Array.Find(Rows, p => p.Id == id);
}
