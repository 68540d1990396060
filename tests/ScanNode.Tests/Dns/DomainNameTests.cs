using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class DomainNameTests
{
    [Theory]
    [InlineData("example.org", "example.org")]
    [InlineData("Example.ORG.", "example.org")]
    [InlineData("  jabber.example  ", "jabber.example")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("例え.テスト", "xn--r8jz45g.xn--zckzah")]
    [InlineData("localhost", "localhost")]
    [InlineData("a-b.c1.example", "a-b.c1.example")]
    public void ValidInput_isNormalizedToALabels(string input, string expected)
    {
        Assert.True(DomainName.TryNormalize(input, out string ascii, out string? error), error);
        Assert.Equal(expected, ascii);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("exa mple.org", "white space")]
    [InlineData("a..b", "empty label")]
    [InlineData(".example.org", "empty label")]
    [InlineData("example.org..", "empty label")]
    [InlineData(".", "empty label")]
    [InlineData("192.0.2.1", "IP address")]
    [InlineData("::1", "IP address")]
    [InlineData("[2001:db8::1]", "IP address")]
    [InlineData("example.123", "all-numeric")]
    [InlineData("user@example.org", "not a domain name")]
    [InlineData("example.org:5222", "not a domain name")]
    [InlineData("-bad.example", "not a valid domain name")]
    [InlineData("under_score.example", "not a valid domain name")]
    public void InvalidInput_isRejectedWithClearMessage(string input, string expectedFragment)
    {
        Assert.False(DomainName.TryNormalize(input, out string ascii, out string? error));
        Assert.Equal("", ascii);
        Assert.Contains(expectedFragment, error);
    }

    [Fact]
    public void LabelOf64_isRejectedNamingTheLimit()
    {
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".example", out _, out string? error));
        Assert.Contains("63", error);
    }

    [Fact]
    public void NameOf254Characters_isRejected_253Accepted()
    {
        string label63 = new('a', 63);
        string ok = string.Join('.', label63, label63, label63, new string('a', 61)); // 253 characters

        Assert.True(DomainName.TryNormalize(ok, out _, out _));
        Assert.False(DomainName.TryNormalize(ok + "a", out _, out string? error));
        Assert.Contains("253", error);
    }
}
