using System.Text;
using XmppScanCluster.ScanNode.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Xmpp;

public class MarkupScannerTests
{
    private static (bool Complete, MarkupToken Token, int Length) Scan(string text)
    {
        var complete = MarkupScanner.TryNext(Encoding.UTF8.GetBytes(text), out var token, out var length);
        return (complete, token, length);
    }

    [Theory]
    [InlineData("<a>rest", "StartTag", 3)]
    [InlineData("<a x='1'/>rest", "EmptyTag", 10)]
    [InlineData("</a>rest", "EndTag", 4)]
    [InlineData("<?xml version='1.0'?><a>", "Other", 21)]
    [InlineData("<!-- <a> --><a>", "Other", 12)]
    [InlineData("<![CDATA[</a>]]><a>", "Other", 16)]
    [InlineData("<!DOCTYPE a [<!ENTITY x 'y'>]>", "Declaration", 2)]
    [InlineData("text<a>", "Text", 4)]
    [InlineData("text without markup", "Text", 19)]
    public void CompleteTokens_endWhereTheirMarkupEnds(string text, string token, int length)
    {
        Assert.Equal((true, Enum.Parse<MarkupToken>(token), length), Scan(text));
    }

    [Theory]
    [InlineData("<a x='>' y=\">\">", "StartTag", 15)]
    [InlineData("<a x='/>'>", "StartTag", 10)]
    [InlineData("<a x=\"'\"/>", "EmptyTag", 10)]
    [InlineData("<a x='>>' y=\">'>\" z='\"'/>", "EmptyTag", 25)]
    public void GreaterThanInsideAQuotedAttributeValue_doesNotEndTheTag(string text, string token, int length)
    {
        Assert.Equal((true, Enum.Parse<MarkupToken>(token), length), Scan(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<")]
    [InlineData("<a x='>")]
    [InlineData("<a")]
    [InlineData("</a")]
    [InlineData("<!-- a > b -")]
    [InlineData("<![CDA")]
    [InlineData("<![CDATA[ ]] >")]
    [InlineData("<?xml ?")]
    public void UnfinishedMarkup_needsMoreBytes(string text)
    {
        Assert.False(Scan(text).Complete);
    }
}
