using XmppScanCluster.Coordinator.Reports.Site;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

public sealed class SafeFileNamesTests
{
    [Theory]
    [InlineData("example.org", "example.org")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("../../etc/passwd", "_2e._2f.._2fetc_2fpasswd")]
    [InlineData("..", "_2e.")]
    [InlineData("a\\b", "a_5cb")]
    [InlineData("Upper.Example", "_55pper._45xample")]
    [InlineData("bücher.example", "b_c3_bccher.example")]
    [InlineData("a_b", "a_5fb")]
    [InlineData("", "_")]
    public void Domain_mapsToAPlainNameInsideTheDirectory(string domain, string expected)
    {
        var name = SafeFileNames.For(domain);
        Assert.Equal(expected, name);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.False(name.StartsWith('.'), name);
        var dir = Path.GetFullPath("/site/domain");
        Assert.StartsWith(dir + "/", Path.GetFullPath(Path.Combine(dir, name + ".html")), StringComparison.Ordinal);
    }

    [Fact]
    public void LongOrSimilarDomains_getDistinctBoundedNames()
    {
        string[] domains = [new string('a', 300) + ".example", new string('a', 300) + ".example2", "a_5fb", "a_b", "A.example", "a.example", "a-.example"];
        var names = domains.Select(SafeFileNames.For).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.InRange(n.Length, 1, 150));
    }
}
