using XmppScanCluster.Coordinator.Census;

namespace XmppScanCluster.Coordinator.Tests.Census;

public class TargetFileTests
{
    [Fact]
    public void CommentsBlankLinesIdnaDuplicatesAndInvalidLines_areSortedOut_neverFatal()
    {
        var list = TargetFile.Parse([
            "# census of 2026",
            "",
            "example.org",
            "  jabber.example.net.   # trailing dot and comment",
            "EXAMPLE.org",
            "bücher.example",
            "xn--bcher-kva.example",
            "bad..name",
            "192.0.2.1",
            "two words",
        ]);

        Assert.Equal(["example.org", "jabber.example.net", "xn--bcher-kva.example"], list.Domains);
        Assert.Equal([5, 7], list.Duplicates.Select(d => d.Line));
        Assert.Contains("line 3", list.Duplicates[0].Reason);
        Assert.Equal([8, 9, 10], list.Invalid.Select(i => i.Line));
    }

    [Fact]
    public void EmptyFile_givesNoDomains()
    {
        var list = TargetFile.Parse([]);
        Assert.Empty(list.Domains);
        Assert.Empty(list.Invalid);
    }
}
