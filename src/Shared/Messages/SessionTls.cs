using System.Text.Json.Serialization;

namespace XmppScanCluster.Shared.Messages;

/// <summary>
/// Which TLS implementation finishes an endpoint's session, the one a default client makes (<c>--session-tls</c> in
/// <c>scan</c> and <c>census</c>). Either way the session sends the same ClientHello and records the same facts
/// (TestbedSessionEquivalenceTests pins the two together on the testbed); the choice is the operator's way back to the
/// platform's TLS if the engine ever disagrees with a server.
/// </summary>
public enum SessionTls
{
    /// <summary>This project's own client (ScanNode/SessionEngine): TLS 1.3 and TLS 1.2 ECDHE without an OpenSSL connection
    /// per session, about a third of the memory per target in flight (issue 14). What it cannot finish (x448, FFDHE, TLS 1.0
    /// and 1.1) goes to SslStream on a new connection.</summary>
    [JsonStringEnumMemberName("engine")]
    Engine,

    /// <summary>.NET's SslStream on the platform's OpenSSL for every session.</summary>
    [JsonStringEnumMemberName("sslstream")]
    SslStream,
}

/// <summary>Names of <see cref="SessionTls"/> as written on the command line and in the stored settings.</summary>
public static class SessionTlsNames
{
    /// <summary>The values <c>--session-tls</c> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = ["engine", "sslstream"];

    public static string Name(this SessionTls tls) => tls == SessionTls.SslStream ? "sslstream" : "engine";

    /// <summary>The value of a name written by <see cref="Name"/>; null for another word.</summary>
    public static SessionTls? Parse(string name) => name switch
    {
        "engine" => SessionTls.Engine,
        "sslstream" => SessionTls.SslStream,
        _ => null,
    };
}
