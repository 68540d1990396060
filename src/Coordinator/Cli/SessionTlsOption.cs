using System.CommandLine;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>--session-tls engine|sslstream</c>, the same in <c>scan</c> and <c>census</c> (the census stores it with its
/// settings, so every node scans alike).</summary>
public static class SessionTlsOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--session-tls")
        {
            Description = "Which TLS client finishes each endpoint's session: engine (this scanner's own, the default: the same ClientHello "
                + "without an OpenSSL connection per session; what it cannot finish goes to SslStream) or sslstream (.NET's SslStream on "
                + "OpenSSL for every session)",
            DefaultValueFactory = _ => SessionTls.Engine.Name(),
        };
        option.AcceptOnlyFromAmong([.. SessionTlsNames.All]);
        return option;
    }

    /// <summary>The parsed value (the option accepts only <see cref="SessionTlsNames.All"/>).</summary>
    public static SessionTls Value(ParseResult parse, Option<string> option) =>
        SessionTlsNames.Parse(parse.GetValue(option)!) ?? SessionTls.Engine;
}
