namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>Server-side XMPP snippets for the transcripts.</summary>
internal static class Xml
{
    public const string Declaration = "<?xml version='1.0'?>";

    public static string Header(string from = "example.test", string ns = "jabber:client", string id = "abc123") =>
        Declaration + $"<stream:stream xmlns='{ns}' xmlns:stream='http://etherx.jabber.org/streams' id='{id}' from='{from}' version='1.0' xml:lang='en'>";

    public const string StartTlsRequired =
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";

    public const string StartTlsOptional =
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" +
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>" +
        "<compression xmlns='http://jabber.org/features/compress'><method>zlib</method></compression>" +
        "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></stream:features>";

    public const string PostTlsFeatures =
        "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
        "<mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-1</mechanism><mechanism>EXTERNAL</mechanism>" +
        "</mechanisms><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";

    public const string Proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

    public const string Failure = "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

    public static string StreamError(string condition, string? text = null, string? content = null) =>
        "<stream:error><" + condition + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'" +
        (content is null ? "/>" : ">" + content + "</" + condition + ">") +
        (text is null ? "" : "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams' xml:lang='en'>" + text + "</text>") +
        "</stream:error></stream:stream>";
}
