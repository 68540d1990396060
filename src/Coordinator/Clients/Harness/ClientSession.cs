using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>Which port of the scenario a client reached.</summary>
public enum ListenerRole
{
    /// <summary>5222 on the scenario's address: STARTTLS as the scenario says.</summary>
    C2s,

    /// <summary>5223, XEP-0368 direct TLS.</summary>
    DirectTls,

    /// <summary>The host a <c>&lt;see-other-host/&gt;</c> points to: plaintext, STARTTLS stripped.</summary>
    OtherHost,
}

/// <summary>
/// One client connection to a hostile server, written as the server's script: read the stream header, send
/// features, answer <c>&lt;starttls/&gt;</c>, SASL or iq:auth, and record every step as a <see cref="WireEvent"/>.
/// Every read is bounded by the recorder stream's byte budget and ends when the run's token is cancelled.
/// </summary>
internal sealed partial class ClientSession(ScenarioServerSetup setup, ListenerRole role, int visit, int connection, WireRecorder recorder)
{
    private const string StreamsNs = "http://etherx.jabber.org/streams";
    private const string TlsNs = "urn:ietf:params:xml:ns:xmpp-tls";
    private const string SaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
    private const long ByteBudget = 1 << 20;
    private Stream _stream = Stream.Null;
    private bool _encrypted;
    private bool _authenticated;
    private bool _certificateBad;
    private TlsChannelBindings _bindings = TlsChannelBindings.None;

    private Scenario Scenario => setup.Scenario;

    private IReadOnlyList<string> Offered => Scenario.MechanismsFor(visit);

    private string Password => setup.Password;

    public async Task RunAsync(Stream network, CancellationToken ct)
    {
        Record(WireEventKind.Connected, role switch { ListenerRole.DirectTls => "direct-tls", ListenerRole.OtherHost => "other-host", _ => "c2s" });
        _stream = new RecordingStream(network, recorder, connection, false, ByteBudget);
        try
        {
            if (role == ListenerRole.DirectTls && !await StartTlsAsync(network, ct).ConfigureAwait(false))
            {
                return;
            }

            while (await OneStreamAsync(network, ct).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is IOException or XmlException or ObjectDisposedException or InvalidOperationException)
        {
            if (ct.IsCancellationRequested)
            {
                Record(WireEventKind.TimedOut, "harness deadline");
            }
            else if (e is XmlException x && !IsEndOfInput(x))
            {
                Record(WireEventKind.ProtocolError, Bound(x.Message));
            }
            else
            {
                Record(WireEventKind.ClientClosed, "closed the connection");
            }
        }
        catch (OperationCanceledException)
        {
            Record(WireEventKind.TimedOut, "harness deadline");
        }
    }

    /// <summary>One stream from header to restart (true) or end (false), RFC 6120 §4.</summary>
    private async Task<bool> OneStreamAsync(Stream network, CancellationToken ct)
    {
        using var xml = XmlReader.Create(_stream, new XmlReaderSettings
        {
            Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false,
            IgnoreWhitespace = true, IgnoreComments = true, IgnoreProcessingInstructions = true, MaxCharactersFromEntities = 1024,
        });
        var to = await ReadHeaderAsync(xml).ConfigureAwait(false);
        if (to is null)
        {
            Record(WireEventKind.ClientClosed, "closed before its stream header");
            return false;
        }

        Record(WireEventKind.StreamOpened, Bound(to));

        await SendAsync("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='" + StreamsNs + "' id='h" + connection
            + "' from='" + setup.Domain + "' version='1.0' xml:lang='en'>", ct).ConfigureAwait(false);
        if (role == ListenerRole.C2s && Scenario.SeeOtherHost)
        {
            // RFC 6120 §4.9.3.19: sent before features, so the client has authenticated nothing about this server.
            await SendAsync("<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>" + setup.OtherHost
                + "</see-other-host></stream:error></stream:stream>", ct).ConfigureAwait(false);
            Record(WireEventKind.StreamErrorSent, "see-other-host");
            await DrainAsync(xml).ConfigureAwait(false);
            return false;
        }

        var features = Features();
        await SendAsync("<stream:features>" + features.Xml + "</stream:features>", ct).ConfigureAwait(false);
        Record(WireEventKind.FeaturesSent, features.Summary);
        while (true)
        {
            var element = await ReadElementAsync(xml, ct).ConfigureAwait(false);
            if (element is null)
            {
                Record(WireEventKind.ClientClosed, "closed its stream");
                return false;
            }

            switch (await HandleAsync(element, xml, network, ct).ConfigureAwait(false))
            {
                case Next.Restart:
                    return true;
                case Next.End:
                    return false;
            }
        }
    }

    private enum Next { Continue, Restart, End }

    private async Task<Next> HandleAsync(XElement element, XmlReader xml, Stream network, CancellationToken ct)
    {
        var name = element.Name;
        if (name == XName.Get("starttls", TlsNs))
        {
            Record(WireEventKind.StartTlsRequested);
            if (Scenario.StartTls is StartTlsOffer.Failure or StartTlsOffer.Stripped || role != ListenerRole.C2s)
            {
                // RFC 6120 §5.4.2.2: <failure/>, then the server closes the stream and the connection. A stripping
                // attacker has no certificate for the domain either, so a client asking for TLS anyway meets the same.
                await SendAsync("<failure xmlns='" + TlsNs + "'/></stream:stream>", ct).ConfigureAwait(false);
                Record(WireEventKind.StreamErrorSent, "starttls failure");
                await DrainAsync(xml).ConfigureAwait(false);
                return Next.End;
            }

            await SendAsync("<proceed xmlns='" + TlsNs + "'/>", ct).ConfigureAwait(false);
            return await StartTlsAsync(network, ct).ConfigureAwait(false) ? Next.Restart : Next.End;
        }

        if (name == XName.Get("auth", SaslNs))
        {
            return await SaslAsync(element, xml, ct).ConfigureAwait(false);
        }

        if (name.LocalName == "iq")
        {
            return await IqAsync(element, ct).ConfigureAwait(false);
        }

        Record(WireEventKind.Stanza, Bound(name.LocalName));
        return Next.Continue;
    }

    private async Task<Next> IqAsync(XElement iq, CancellationToken ct)
    {
        var id = Escape(Bound((string?)iq.Attribute("id") ?? ""));
        var type = (string?)iq.Attribute("type") ?? "";
        var query = iq.Elements().FirstOrDefault();
        var ns = query?.Name.NamespaceName ?? "";
        if (ns == "jabber:iq:auth")
        {
            Record(WireEventKind.LegacyAuthRequest, Bound(type), "iq:auth");
            if (type == "get")
            {
                // XEP-0078 §3: the form the server returns names the fields it wants; here only the plaintext password.
                await SendAsync("<iq type='result' id='" + id + "'><query xmlns='jabber:iq:auth'><username/><password/><resource/></query></iq>", ct).ConfigureAwait(false);
                return Next.Continue;
            }

            var secret = query!.Elements().FirstOrDefault(e => e.Name.LocalName is "password" or "digest");
            if (secret is not null)
            {
                Record(WireEventKind.CredentialsSent, "iq:auth " + secret.Name.LocalName, "iq:auth");
            }

            await SendAsync("<iq type='result' id='" + id + "'/>", ct).ConfigureAwait(false);
            _authenticated = true;
            Record(WireEventKind.Authenticated, mechanism: "iq:auth");
            return Next.Continue;
        }

        Record(WireEventKind.Stanza, "iq " + Bound(type) + " " + Bound(query?.Name.LocalName ?? "") + " " + Bound(ns));
        if (type is not ("get" or "set"))
        {
            return Next.Continue;
        }

        var body = ns switch
        {
            "urn:ietf:params:xml:ns:xmpp-bind" => "<bind xmlns='" + ns + "'><jid>" + setup.Account + "/harness</jid></bind>",
            "" => "",
            _ => "<" + Escape(Bound(query!.Name.LocalName)) + " xmlns='" + Escape(Bound(ns)) + "'/>",
        };
        await SendAsync("<iq type='result' id='" + id + "'>" + body + "</iq>", ct).ConfigureAwait(false);
        return Next.Continue;
    }

    private (string Xml, string Summary) Features()
    {
        if (_authenticated)
        {
            return ("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session xmlns='urn:ietf:params:xml:ns:xmpp-session'><optional/></session>", "bind");
        }

        var offer = role == ListenerRole.OtherHost ? StartTlsOffer.Stripped : Scenario.StartTls;
        var xml = new StringBuilder();
        var summary = new List<string>();
        if (!_encrypted && offer != StartTlsOffer.Stripped)
        {
            xml.Append("<starttls xmlns='").Append(TlsNs).Append(offer == StartTlsOffer.Optional ? "'/>" : "'><required/></starttls>");
            summary.Add(offer == StartTlsOffer.Optional ? "starttls" : "starttls required");
            if (offer != StartTlsOffer.Optional)
            {
                return (xml.ToString(), string.Join(", ", summary));
            }
        }

        if (Scenario.LegacyAuthOnly)
        {
            xml.Append("<auth xmlns='http://jabber.org/features/iq-auth'/>");
            summary.Add("iq-auth only");
        }
        else
        {
            xml.Append("<mechanisms xmlns='").Append(SaslNs).Append("'>");
            foreach (var m in Offered)
            {
                xml.Append("<mechanism>").Append(m).Append("</mechanism>");
            }

            xml.Append("</mechanisms>");
            summary.Add("mechanisms " + string.Join(" ", Offered));
        }

        return (xml.ToString(), string.Join(", ", summary));
    }

    private async Task<bool> StartTlsAsync(Stream network, CancellationToken ct)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(setup.TlsOptions, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            Record(WireEventKind.TlsFailed, Bound(Innermost(e)));
            return false;
        }

        _encrypted = true;
        _bindings = TlsChannelBindings.From(tls);
        _certificateBad = HarnessCertificates.IsBad(Scenario.Certificate);
        Record(WireEventKind.TlsEstablished, tls.SslProtocol + " " + tls.NegotiatedCipherSuite);
        _stream = new RecordingStream(tls, recorder, connection, true, ByteBudget);
        return true;
    }

    /// <summary>The header's <c>to</c> ("" when absent), or null when the client sent no stream header.</summary>
    private static async Task<string?> ReadHeaderAsync(XmlReader xml)
    {
        while (await xml.ReadAsync().ConfigureAwait(false))
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                return xml.LocalName == "stream" && xml.NamespaceURI == StreamsNs ? xml.GetAttribute("to") ?? "" : null;
            }
        }

        return null;
    }

    private static async Task<XElement?> ReadElementAsync(XmlReader xml, CancellationToken ct)
    {
        while (await xml.ReadAsync().ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested();
            if (xml.NodeType == XmlNodeType.Element && xml.Depth == 1)
            {
                return await ReadSubtreeAsync(xml, ct).ConfigureAwait(false);
            }

            if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == 0)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Builds the element the reader is on without reading past its end tag: XNode.ReadFrom would ask for the next
    /// node, and the client sends nothing more until the server answers (after &lt;starttls/&gt; it waits for &lt;proceed/&gt;).
    /// </summary>
    private static async Task<XElement> ReadSubtreeAsync(XmlReader xml, CancellationToken ct)
    {
        var root = StartElement(xml);
        if (xml.IsEmptyElement)
        {
            return root;
        }

        var current = root;
        const int maxNodes = 4096;
        for (var nodes = 0; nodes < maxNodes && await xml.ReadAsync().ConfigureAwait(false); nodes++)
        {
            ct.ThrowIfCancellationRequested();
            switch (xml.NodeType)
            {
                case XmlNodeType.Element:
                    var child = StartElement(xml);
                    current.Add(child);
                    if (!xml.IsEmptyElement)
                    {
                        current = child;
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(xml.Value));
                    break;
                case XmlNodeType.EndElement:
                    if (current == root)
                    {
                        return root;
                    }

                    current = current.Parent!;
                    break;
            }
        }

        throw new XmlException("element too large or unterminated");
    }

    private static XElement StartElement(XmlReader xml)
    {
        var element = new XElement(XName.Get(xml.LocalName, xml.NamespaceURI));
        if (xml.MoveToFirstAttribute())
        {
            do
            {
                if (xml.Prefix != "xmlns" && xml.LocalName != "xmlns")
                {
                    element.SetAttributeValue(XName.Get(xml.LocalName, xml.NamespaceURI), xml.Value);
                }
            }
            while (xml.MoveToNextAttribute());
            xml.MoveToElement();
        }

        return element;
    }

    private static async Task DrainAsync(XmlReader xml)
    {
        // Give the client the chance to close first, so the transcript shows how it reacted; bounded by the run's deadline.
        try
        {
            while (await xml.ReadAsync().ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is IOException or XmlException or ObjectDisposedException)
        {
        }
    }

    private async Task SendAsync(string xml, CancellationToken ct) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(xml), ct).ConfigureAwait(false);

    private void Record(WireEventKind kind, string detail = "", string? mechanism = null) =>
        recorder.Add(new WireEvent(connection, kind, _encrypted, detail, mechanism, _encrypted && _certificateBad));

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim() is "=" ? "" : base64.Trim()));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);

    private static string Bound(string text) => text.Length <= 200 ? text : text[..200] + "…";

    // XmlReader's words for a connection closed before (root element missing) or inside the stream (unexpected end):
    // the client hung up, which is not a protocol error (mcabber closes right after a TLS 1.3 handshake it rejects).
    private static bool IsEndOfInput(XmlException x) =>
        x.Message.Contains("Unexpected end of file", StringComparison.Ordinal) || x.Message.Contains("Root element is missing", StringComparison.Ordinal);

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            messages.Add(x.Message);
        }

        return string.Join(" / ", messages);
    }
}
