using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>Interprets <c>&lt;stream:features/&gt;</c> (RFC 6120 §4.3.2) element by element.</summary>
internal static class FeaturesReader
{
    public static bool IsFeatures(XmlElementLite element) => element.Is(XmppNames.Streams, "features");

    public static XmppFeatures Parse(XmlElementLite features)
    {
        var startTls = StartTlsSupport.NotOffered;
        var mechanisms = new List<string>();
        var methods = new List<string>();
        var others = new List<string>();
        bool dialback = false, bind = false;
        foreach (var feature in features.Children)
        {
            switch (feature.Namespace, feature.Name)
            {
                // RFC 6120 §5.4.1: <required/> inside <starttls/> means the server insists on TLS.
                case (XmppNames.Tls, "starttls"):
                    startTls = feature.Child(XmppNames.Tls, "required") is not null ? StartTlsSupport.Required : StartTlsSupport.Offered;
                    break;
                case (XmppNames.Sasl, "mechanisms"):
                    CollectTexts(feature, XmppNames.Sasl, "mechanism", mechanisms);
                    break;
                case (XmppNames.Compression, "compression"):
                    CollectTexts(feature, XmppNames.Compression, "method", methods);
                    break;
                case (XmppNames.DialbackFeature, "dialback"):
                    dialback = true;
                    break;
                case (XmppNames.Bind, "bind"):
                    bind = true;
                    break;
                default:
                    if (others.Count < ServerText.MaxListEntries)
                    {
                        others.Add(ServerText.Bound(feature.QualifiedName, ServerText.MaxName));
                    }
                    break;
            }
        }
        return new XmppFeatures(startTls, mechanisms, methods, dialback, bind, others);
    }

    private static void CollectTexts(XmlElementLite parent, string ns, string name, List<string> into)
    {
        foreach (var child in parent.Children)
        {
            if (!child.Is(ns, name) || into.Count >= ServerText.MaxListEntries) continue;
            var text = ServerText.BoundOrNull(child.Text, ServerText.MaxName);
            if (text is not null) into.Add(text);
        }
    }
}
