using XmppScanCluster.ScanNode.Certificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>The DER walk that runs before BouncyCastle: depth counted through encapsulating OCTET STRINGs, lengths checked.</summary>
public class DerDepthGuardTests
{
    private static byte[] Nested(int depth, bool viaOctetString)
    {
        byte[] inner = [0x05, 0x00]; // NULL
        for (var i = 0; i < depth; i++)
        {
            var tag = viaOctetString && i % 2 == 1 ? (byte)0x04 : (byte)0x30;
            inner = [tag, (byte)inner.Length, .. inner];
        }

        return inner;
    }

    [Theory]
    [InlineData(10, false, true)]
    [InlineData(40, false, true)]
    [InlineData(41, false, false)]
    [InlineData(41, true, false)]
    [InlineData(20, true, true)]
    public void Depth_isLimited_includingEncapsulatedDer(int depth, bool viaOctetString, bool ok)
    {
        // Short-form lengths only reach 127 bytes: these fixtures stay below.
        Assert.Equal(ok, DerDepthGuard.Check(Nested(depth, viaOctetString), 40, out var error));
        Assert.Equal(ok, error is null);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("3002 0500 00")]
    [InlineData("3003 0500")]
    [InlineData("3080 0500 0000")]
    [InlineData("1f01 00")]
    [InlineData("3085 0000000001 00")]
    public void Malformed_isRefusedWithAReason(string hex)
    {
        Assert.False(DerDepthGuard.Check(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), 40, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void OctetStringThatIsNotDer_isOpaque()
    {
        Assert.True(DerDepthGuard.Check(Convert.FromHexString("3006040430ff0102"), 40, out _));
    }
}
