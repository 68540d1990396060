using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

public class WellKnownDhGroupsTests
{
    [Fact]
    public void EveryPrime_isOdd_unique_andOfTheSizeItsNameSays()
    {
        Assert.Equal(WellKnownDhGroups.All.Count, WellKnownDhGroups.All.Select(g => g.PrimeHex).Distinct().Count());
        foreach (var g in WellKnownDhGroups.All)
        {
            Assert.True(Convert.FromHexString(g.PrimeHex)[^1] % 2 == 1, g.Name);
            var digits = new string(g.Name.Where(char.IsDigit).ToArray());
            if (g.Name.StartsWith("ffdhe") || g.Name.StartsWith("modp_"))
            {
                Assert.Equal(int.Parse(digits), g.Bits);
            }
        }

        Assert.Equal(768, WellKnownDhGroups.All.Single(g => g.Name == "oakley_group_1").Bits);
        Assert.Equal(1024, WellKnownDhGroups.All.Single(g => g.Name == "oakley_group_2").Bits);
    }

    [Fact]
    public void Identify_ignoresLeadingZeros_andRejectsAnOffByOnePrime()
    {
        var p = Convert.FromHexString(WellKnownDhGroups.All.Single(g => g.Name == "ffdhe3072").PrimeHex);
        Assert.Equal("ffdhe3072", WellKnownDhGroups.Identify([0, 0, .. p])?.Name);
        p[^1] ^= 2;
        Assert.Null(WellKnownDhGroups.Identify(p));
        Assert.Null(WellKnownDhGroups.Identify([]));
    }
}
