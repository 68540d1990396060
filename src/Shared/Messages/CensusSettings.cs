using System.Text.Json;
using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Messages;

/// <summary>
/// How a census scans, stored with the census (the store keeps it as opaque JSON) and read by every scan node,
/// so all nodes scan alike whatever their own command line. Trust anchors travel as PEM text: a node on another
/// machine has no access to the coordinator's files.
/// </summary>
/// <param name="Modes">"c2s" and/or "s2s".</param>
/// <param name="DnsServers">Resolvers ADDRESS[:PORT]; empty = the node's /etc/resolv.conf.</param>
/// <param name="TrustAnchorsPem">PEM bundles of extra trust anchors.</param>
/// <param name="SystemTrust">Also trust the node's system store.</param>
/// <param name="TimeoutSeconds">Connect and read deadline.</param>
/// <param name="Politeness">Per-IP limits.</param>
/// <param name="Blocklist">Domains (and their subdomains) and CIDRs never contacted.</param>
/// <param name="Depth">How much every endpoint gets (additive: settings stored before it existed read as
/// <see cref="ScanDepth.Session"/>, which is what those censuses ran).</param>
/// <param name="FetchAia">Fetch an issuer the server did not send from its AIA caIssuers URL in the certificate step
/// (<c>--fetch-aia</c>: tells an incomplete chain from an unknown CA; contacts a third party, so off unless asked;
/// additive: settings stored before it existed read as off).</param>
/// <param name="Sharing">The endpoints of one address share a verified TLS assessment, and the vulnerability probes and client
/// simulation as far as each reaches (issue 14); off with <c>--no-sharing</c> (every endpoint on its own). Additive: settings
/// stored before it existed read as on, which is what those censuses ran (their assessments were shared).</param>
/// <param name="SessionTls">Which TLS implementation finishes the sessions (<c>--session-tls</c>). Additive: settings stored
/// before it existed read as the engine, the default; the facts recorded are the same either way.</param>
public sealed record CensusSettings(
    IReadOnlyList<string> Modes,
    IReadOnlyList<string> DnsServers,
    IReadOnlyList<string> TrustAnchorsPem,
    bool SystemTrust,
    double TimeoutSeconds,
    PolitenessSettings Politeness,
    IReadOnlyList<string> Blocklist,
    ScanDepth Depth = ScanDepth.Session,
    bool FetchAia = false,
    bool Sharing = true,
    SessionTls SessionTls = SessionTls.Engine)
{
    public string ToJson() => JsonSerializer.Serialize(this, CensusSettingsJson.Default.CensusSettings);

    public static CensusSettings FromJson(string json) =>
        JsonSerializer.Deserialize(json, CensusSettingsJson.Default.CensusSettings)
        ?? throw new JsonException("census settings are null");
}

/// <summary>
/// How deep a census scans each endpoint. Stored with the census so every node (embedded or <c>xmppscan node</c>)
/// runs the same endpoint steps; a target's step list is then fixed in its <c>target_scan_started</c>.
/// </summary>
public enum ScanDepth
{
    /// <summary>One XMPP + TLS session per endpoint (preamble, one handshake, the certificate): <c>scan --quick</c>.</summary>
    [JsonStringEnumMemberName("session")]
    Session,

    /// <summary>The session, then the TLS assessment (protocols, suites in server order, key exchange), the
    /// vulnerability probes and the client simulation: what <c>xmppscan scan</c> does, about 50–160 connections
    /// per endpoint on the testbed.</summary>
    [JsonStringEnumMemberName("full")]
    Full,

    /// <summary>The session, the TLS assessment and the certificate inspection, without the vulnerability probes and the
    /// client simulation: protocols, suites, key exchange and the certificate of every endpoint that answers a ClientHello
    /// (the census statistics), in about a third of the full depth's connections.</summary>
    [JsonStringEnumMemberName("assessment")]
    Assessment,
}

/// <summary>Names of <see cref="ScanDepth"/> as written on the command line and in the stored settings.</summary>
public static class ScanDepthNames
{
    public static string Name(this ScanDepth depth) => depth switch
    {
        ScanDepth.Full => "full",
        ScanDepth.Assessment => "assessment",
        _ => "session",
    };

    /// <summary>The depth of a name written by <see cref="Name"/>; null for another word.</summary>
    public static ScanDepth? Parse(string name) => name switch
    {
        "full" => ScanDepth.Full,
        "assessment" => ScanDepth.Assessment,
        "session" => ScanDepth.Session,
        _ => null,
    };
}

/// <summary>
/// Politeness per server address. Shards are cut by address, so a limit one node holds holds cluster-wide.
/// </summary>
/// <param name="MaxConnectionsPerIp">Connections open at once to one address (default 1).</param>
/// <param name="MinSpacingSeconds">Least time between two connection starts to one address.</param>
/// <param name="BackoffSeconds">First wait after a reset or <c>policy-violation</c>; doubles per retry.</param>
/// <param name="MaxAttempts">Tries of a throttled step before it is recorded as inconclusive.</param>
public sealed record PolitenessSettings(int MaxConnectionsPerIp, double MinSpacingSeconds, double BackoffSeconds, int MaxAttempts)
{
    /// <summary>Census defaults: one connection per address, seconds apart.</summary>
    public static PolitenessSettings CensusDefault { get; } = new(1, 2, 30, 3);
}

/// <summary>Source-generated JSON for <see cref="CensusSettings"/>: snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CensusSettings))]
public sealed partial class CensusSettingsJson : JsonSerializerContext;
