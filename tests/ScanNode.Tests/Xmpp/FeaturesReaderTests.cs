using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Xmpp;

public class FeaturesReaderTests
{
    private static async Task<XmppFeatures> Parse(string features)
    {
        using var reader = new XmppStreamReader(PiecewiseStream.Whole(Xml.Header() + features), 32);
        await reader.ReadHeaderAsync();
        return await StartTlsNegotiation.ReadFeaturesAsync(reader);
    }

    [Fact]
    public async Task PostTlsFeatures_mechanismsInOrder_bind()
    {
        var f = await Parse(Xml.PostTlsFeatures);

        Assert.Equal(StartTlsSupport.NotOffered, f.StartTls);
        Assert.Equal(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "EXTERNAL"], f.SaslMechanisms);
        Assert.True(f.Bind);
        Assert.False(f.Dialback);
        Assert.Empty(f.OtherFeatures);
    }

    [Fact]
    public async Task S2sFeatures_dialbackAndRequiredStartTls()
    {
        var f = await Parse("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" +
            "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>");

        Assert.Equal(StartTlsSupport.Required, f.StartTls);
        Assert.True(f.Dialback);
    }

    [Fact]
    public async Task EmptyFeatures_nothing()
    {
        var f = await Parse("<stream:features/>");

        Assert.Equal(StartTlsSupport.NotOffered, f.StartTls);
        Assert.Empty(f.SaslMechanisms);
        Assert.Empty(f.CompressionMethods);
    }

    [Fact]
    public async Task ManyUnknownFeatures_boundedList()
    {
        var many = string.Concat(Enumerable.Range(0, 100).Select(i => $"<f{i} xmlns='urn:x'/>"));

        var f = await Parse("<stream:features>" + many + "</stream:features>");

        Assert.Equal(ServerText.MaxListEntries, f.OtherFeatures.Count);
        Assert.Equal("{urn:x}f0", f.OtherFeatures[0]);
    }

    [Fact]
    public async Task MechanismNames_controlCharactersStripped_lengthBounded()
    {
        var f = await Parse("<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" +
            "<mechanism>\n PLAIN&#x9b;[31m \n</mechanism><mechanism>" + new string('A', 1000) + "</mechanism>" +
            "<mechanism>   </mechanism></mechanisms></stream:features>");

        Assert.Equal("PLAIN[31m", f.SaslMechanisms[0]);
        Assert.Equal(ServerText.MaxName, f.SaslMechanisms[1].Length);
        Assert.Equal(2, f.SaslMechanisms.Count);
    }
}
