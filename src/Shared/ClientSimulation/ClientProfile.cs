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
/// What a client refuses after the ServerHello, where the ClientHello does not say it: a real client aborts
/// the handshake there, so the simulation must too. Unknown limits stay off (the server's choice is taken).
/// </summary>
public sealed record ClientLimits
{
    /// <summary>The smallest DHE prime in bits the client accepts (OpenSSL 3 at security level 2: 2048).</summary>
    public int? MinDhBits { get; init; }

    /// <summary>
    /// The client aborts a TLS 1.0/1.1 DHE or ECDHE handshake because its ServerKeyExchange is signed with
    /// MD5+SHA-1 (SHA-1 alone for ECDSA, RFC 4346 §7.4.3, RFC 4492 §5.4), which OpenSSL 3 refuses from security level 1 ("legacy sigalg
    /// disallowed") even though it offers those versions; static RSA still works there.
    /// </summary>
    public bool RefusesMd5Sha1Signatures { get; init; }
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
    /// <summary>What the client refuses after the ServerHello (checks its hello cannot show).</summary>
    public ClientLimits Limits { get; init; } = new();

    /// <summary>The recorded ClientHello records.</summary>
    public byte[] HelloRecords() => Convert.FromHexString(HelloHex);
}
