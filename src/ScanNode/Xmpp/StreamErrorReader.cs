using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>
/// Interprets <c>&lt;stream:error/&gt;</c> (RFC 6120 §4.9.2): the condition is the child element in
/// <c>urn:ietf:params:xml:ns:xmpp-streams</c> other than <c>&lt;text/&gt;</c>; <c>see-other-host</c> carries the
/// other host as its content (§4.9.3.19).
/// </summary>
internal static class StreamErrorReader
{
    public static bool IsStreamError(XmlElementLite element) => element.Is(XmppNames.Streams, "error");

    public static StreamErrorInfo Parse(XmlElementLite error)
    {
        string condition = "undefined-condition";
        string? text = null, otherHost = null;
        bool found = false;
        foreach (var child in error.Children)
        {
            if (child.Namespace != XmppNames.StreamErrors) continue;
            if (child.Name == "text")
            {
                text ??= ServerText.BoundOrNull(child.Text, ServerText.MaxErrorText);
            }
            else if (!found)
            {
                found = true;
                condition = ServerText.Bound(child.Name, 64);
                if (child.Name == "see-other-host") otherHost = ServerText.BoundOrNull(child.Text, ServerText.MaxName);
            }
        }
        return new StreamErrorInfo(condition, text) { OtherHost = otherHost };
    }

    /// <summary>The classified failure for a stream error element.</summary>
    public static XmppProtocolException ToException(XmlElementLite error) => ToException(Parse(error));

    public static XmppProtocolException ToException(StreamErrorInfo info) =>
        new StreamErrorException(info);
}

/// <summary>A stream error, classified, with the parsed details for the facts.</summary>
internal sealed class StreamErrorException(StreamErrorInfo info)
    : XmppProtocolException(new ProbeFailure(FailureKind.StreamError, "stream error " + info))
{
    public StreamErrorInfo Info { get; } = info;
}
