using XmppScanCluster.Coordinator.Output;

namespace XmppScanCluster.Coordinator.Tests.Output;

public class TerminalTextTests
{
    [Fact]
    public void AnsiEscapeFromServer_isShownNotInterpreted()
    {
        var safe = TerminalText.Safe("evil\u001b[2J\u001b]0;owned\u0007.example");
        Assert.DoesNotContain('\u001b', safe);
        Assert.DoesNotContain('\u0007', safe);
        Assert.Contains("\\u001b", safe);
    }

    [Fact]
    public void BidiOverride_isMadeVisible()
    {
        Assert.Equal("a\\u202eb", TerminalText.Safe("a\u202Eb"));
    }

    [Fact]
    public void LongText_isBounded()
    {
        var safe = TerminalText.Safe(new string('x', 10_000), maxLength: 50);
        Assert.Equal(51, safe.Length);
        Assert.EndsWith("…", safe);
    }
}
