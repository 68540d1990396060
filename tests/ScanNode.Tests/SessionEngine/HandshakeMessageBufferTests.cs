using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>Handshake messages from record payloads (RFC 8446 §5.1): one message over several records, several in one,
/// and a length above the bound refused before anything is buffered for it.</summary>
public class HandshakeMessageBufferTests
{
    [Fact]
    public void MessageSplitOverRecords_andTwoInOneRecord_comeOutWhole_inOrder()
    {
        var buffer = new HandshakeMessageBuffer(1024);
        buffer.Append([8, 0, 0, 2, 0xAA]);
        Assert.Null(buffer.Next());
        Assert.True(buffer.HasPartial);

        buffer.Append([0xBB, 20, 0, 0, 1, 0xCC]);

        Assert.Equal([8, 0, 0, 2, 0xAA, 0xBB], buffer.Next()!.Raw);
        var second = buffer.Next()!;
        Assert.Equal(TlsHandshakeType.Finished, second.HandshakeType);
        Assert.Equal([0xCC], second.Body.ToArray());
        Assert.Null(buffer.Next());
        Assert.False(buffer.HasPartial);
    }

    [Fact]
    public void LengthAboveTheBound_isAProtocolFailure()
    {
        var buffer = new HandshakeMessageBuffer(1024);
        buffer.Append([11, 0xFF, 0xFF, 0xFF]); // a 16 MiB Certificate announced in four bytes

        var e = Assert.Throws<EngineHandshakeException>(() => buffer.Next());

        Assert.Contains("16777215 bytes", e.Message);
    }
}
