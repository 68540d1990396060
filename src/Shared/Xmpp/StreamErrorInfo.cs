namespace XmppScanCluster.Shared.Xmpp;

/// <summary>
/// A <c>&lt;stream:error/&gt;</c> the server sent (RFC 6120 §4.9). Everything here is server text: bounded and
/// stripped of control characters before it gets here.
/// </summary>
/// <param name="Condition">The defined condition element name (RFC 6120 §4.9.3), e.g. <c>host-unknown</c>;
/// <c>undefined-condition</c> when the server named none.</param>
/// <param name="Text">The optional <c>&lt;text/&gt;</c> content (at most 512 characters).</param>
public sealed record StreamErrorInfo(string Condition, string? Text)
{
    /// <summary>For <c>see-other-host</c> (RFC 6120 §4.9.3.19): the host (and optional port) the server names.</summary>
    public string? OtherHost { get; init; }

    /// <summary>Condition plus text, one line, for failure messages.</summary>
    public override string ToString()
    {
        var s = Condition;
        if (OtherHost is not null) s += " -> " + OtherHost;
        if (Text is not null) s += ": " + Text;
        return s;
    }
}
