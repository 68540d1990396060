namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>
/// A tiny, bounded element tree for one top-level stream element (features, error). Built by
/// <see cref="XmppStreamReader"/> so that interpreting an element is plain code over finished data.
/// </summary>
internal sealed class XmlElementLite(string ns, string name)
{
    /// <summary>Most children kept per element; later ones are read and dropped.</summary>
    public const int MaxChildren = 128;

    /// <summary>Most characters of text kept per element.</summary>
    public const int MaxText = 2048;

    private readonly List<XmlElementLite> _children = [];
    private string _text = "";

    public string Namespace { get; } = ns;
    public string Name { get; } = name;
    public IReadOnlyList<XmlElementLite> Children => _children;

    /// <summary>The element's own character content (not its descendants'), bounded.</summary>
    public string Text => _text;

    /// <summary><c>{namespace}name</c>, the form used in <c>OtherFeatures</c>.</summary>
    public string QualifiedName => "{" + Namespace + "}" + Name;

    public bool Is(string ns, string name) => Namespace == ns && Name == name;

    public XmlElementLite? Child(string ns, string name) => _children.Find(c => c.Is(ns, name));

    internal void AddChild(XmlElementLite child)
    {
        if (_children.Count < MaxChildren) _children.Add(child);
    }

    internal void AppendText(string text)
    {
        if (_text.Length >= MaxText) return;
        _text += text.Length + _text.Length > MaxText ? text[..(MaxText - _text.Length)] : text;
    }
}
