using System.Collections.Immutable;

namespace XmppScanCluster.Shared.ClientSimulation;

/// <summary>Where a profile's ClientHello came from.</summary>
public enum ClientProfileOrigin
{
    /// <summary>Recorded from the real library by <c>deploy/clientsim/capture.sh</c>.</summary>
    Captured,
    /// <summary>Taken, byte for byte, from published client-simulation data (see <see cref="ClientProfile.Source"/>).</summary>
    Published,
}

/// <summary>
/// The TLS stack of a family of XMPP clients, as data: the ClientHello it sends (whole TLS records, hex) and
/// where that hello came from. The simulator replays it with the service's name in place of the recorded SNI.
/// </summary>
/// <param name="Id">Stable id used in results, e.g. <c>openssl-3.0</c>.</param>
/// <param name="Name">Human name, e.g. <c>OpenSSL 3.0 (defaults)</c>.</param>
/// <param name="Library">The TLS library or platform stack.</param>
/// <param name="LibraryVersion">Its version when the hello was recorded.</param>
/// <param name="UsedBy">XMPP clients known to use this stack.</param>
/// <param name="Origin">Captured here or published.</param>
/// <param name="Source">Provenance: capture machine, date and command, or the publication.</param>
/// <param name="Notes">Quirks and how the simulator treats them.</param>
/// <param name="HelloHex">The ClientHello TLS record(s) as recorded, lower-case hex.</param>
public sealed record ClientProfile(
    string Id,
    string Name,
    string Library,
    string LibraryVersion,
    ImmutableArray<string> UsedBy,
    ClientProfileOrigin Origin,
    string Source,
    string Notes,
    string HelloHex)
{
    /// <summary>The recorded ClientHello records.</summary>
    public byte[] HelloRecords() => Convert.FromHexString(HelloHex);
}
