using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Output;

public class XmppSectionTests
{
    private static XmppFeatures Features(StartTlsSupport starttls, string[] sasl, bool dialback = false, string[]? compression = null) =>
        new(starttls, sasl, compression ?? [], dialback, false, []);

    [Fact]
    public void S2sWithDialbackAndExternal_namesBothPeerAuthentications()
    {
        var facts = new XmppStreamFacts(StreamId: "1", From: "a.test", Version: "1.0", PreTlsFeatures: Features(StartTlsSupport.Required, []),
            PostTlsFeatures: Features(StartTlsSupport.NotOffered, ["EXTERNAL"], dialback: true), StreamError: null, StreamRestartAfterTlsWorked: true, PeerCertificateRequired: false);
        var lines = XmppSection.Lines(facts, TlsTransport.StartTls, XmppMode.S2S).ToList();
        Assert.Contains("S2S       peer authentication: SASL EXTERNAL (certificates), dialback (XEP-0220)", lines);
    }

    [Fact]
    public void PlainBeforeTlsAndCompression_areFindings()
    {
        var facts = new XmppStreamFacts(StreamId: "1", From: "a.test", Version: "1.0", PreTlsFeatures: Features(StartTlsSupport.Offered, ["SCRAM-SHA-1", "PLAIN"], compression: ["zlib"]),
            PostTlsFeatures: Features(StartTlsSupport.NotOffered, ["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"]), StreamError: null, StreamRestartAfterTlsWorked: true, PeerCertificateRequired: null);
        var lines = XmppSection.Lines(facts, TlsTransport.StartTls, XmppMode.C2S).ToList();
        Assert.Contains(lines, l => l.Contains("strippable", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("! PLAIN sends passwords in the clear", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("compression before TLS (XEP-0138): zlib", StringComparison.Ordinal));
        Assert.Contains("SASL      channel binding offered (SCRAM-SHA-1-PLUS)", lines);
    }

    [Fact]
    public void PeerCertificateRequiredAndSeeOtherHost_areReportedInWords()
    {
        var facts = new XmppStreamFacts(StreamId: "1", From: "a.test", Version: "1.0", PreTlsFeatures: null, PostTlsFeatures: null,
            StreamError: new StreamErrorInfo("see-other-host", "moved") { OtherHost = "xmpp2.a.test:5269" }, StreamRestartAfterTlsWorked: null, PeerCertificateRequired: true);
        var lines = XmppSection.Lines(facts, TlsTransport.DirectTls, XmppMode.S2S).ToList();
        Assert.Contains(lines, l => l.Contains("requires a certificate from the connecting server", StringComparison.Ordinal));
        Assert.Contains("XMPP      stream error <see-other-host/> → xmpp2.a.test:5269 \"moved\"", lines);
    }
}
