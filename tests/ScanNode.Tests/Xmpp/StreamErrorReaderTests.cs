using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Xmpp;

public class StreamErrorReaderTests
{
    private static async Task<StreamErrorInfo> Parse(string error)
    {
        using var reader = new XmppStreamReader(PiecewiseStream.Whole(Xml.Header() + error), 32);
        await reader.ReadHeaderAsync();
        var element = await reader.ReadTopLevelAsync();
        Assert.True(StreamErrorReader.IsStreamError(element));
        return StreamErrorReader.Parse(element);
    }

    [Theory]
    [InlineData("host-unknown")]
    [InlineData("policy-violation")]
    [InlineData("not-authorized")]
    public async Task Condition_isTheElementName(string condition)
    {
        var info = await Parse(Xml.StreamError(condition));

        Assert.Equal(condition, info.Condition);
        Assert.Null(info.Text);
        Assert.Null(info.OtherHost);
    }

    [Fact]
    public async Task TextBeforeCondition_stillFindsCondition()
    {
        var info = await Parse("<stream:error><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>why</text>" +
            "<host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");

        Assert.Equal("host-unknown", info.Condition);
        Assert.Equal("why", info.Text);
    }

    [Fact]
    public async Task SeeOtherHost_recordsTheHost()
    {
        var info = await Parse(Xml.StreamError("see-other-host", content: "other.example.test:5223"));

        Assert.Equal("see-other-host", info.Condition);
        Assert.Equal("other.example.test:5223", info.OtherHost);
        Assert.Contains("other.example.test:5223", StreamErrorReader.ToException(info).Failure.Message);
        Assert.Equal(FailureKind.StreamError, StreamErrorReader.ToException(info).Failure.Kind);
    }

    [Fact]
    public async Task LongText_boundedAndSanitised()
    {
        var info = await Parse(Xml.StreamError("policy-violation", "bad\u009b" + new string('x', 5000)));

        Assert.Equal(ServerText.MaxErrorText, info.Text!.Length);
        Assert.StartsWith("badx", info.Text);
    }

    [Fact]
    public async Task NoDefinedCondition_isUndefinedCondition()
    {
        var info = await Parse("<stream:error><oops xmlns='urn:example'/></stream:error>");

        Assert.Equal("undefined-condition", info.Condition);
    }
}
