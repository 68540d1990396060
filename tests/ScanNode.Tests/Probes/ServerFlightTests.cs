using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>The pure flight logic, fed from fixtures without sockets.</summary>
public class ServerFlightTests
{
    private static HandshakeResult Run(byte[] stream)
    {
        var flight = new ServerFlight();
        var (messages, _, r) = ReassemblerTests.Feed(stream, []);
        foreach (var m in messages)
        {
            if (flight.Accept(m)) return flight.Result;
        }

        return flight.Finish(r.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "end of fixture"), r.TotalBytes);
    }

    [Fact]
    public void Tls12Flight_endsAtServerHelloDone_withEveryFact()
    {
        var r = Run(Fixtures.Tls12Flight());
        Assert.Equal(HandshakeOutcome.ServerHello, r.Outcome);
        Assert.True(r.SawServerHelloDone);
        Assert.Equal(2, r.Certificates.Length);
        Assert.Equal((ushort)0x0017, r.ServerKeyExchange!.NamedCurve);
        Assert.Equal(1, r.CertificateStatus!.StatusType);
        Assert.Null(r.Failure);
    }

    [Fact]
    public void FlightCutAfterServerHello_keepsTheServerHello_andNotesTheFailure()
    {
        var flight = Fixtures.Tls12Flight();
        var r = Run(flight[..60]);
        Assert.Equal(HandshakeOutcome.Failed, r.Outcome); // the first record is not complete yet
        var first = Fixtures.Record(22, 0x0303, Fixtures.Handshake(2, Fixtures.Tls12ServerHelloBody));
        var r2 = Run(first);
        Assert.Equal(HandshakeOutcome.ServerHello, r2.Outcome);
        Assert.False(r2.SawServerHelloDone);
        Assert.Equal(FailureKind.ConnectionClosed, r2.Failure!.Kind);
    }

    [Fact]
    public void CertificateBeforeServerHello_isProtocolError()
    {
        var r = Run(Fixtures.Record(22, 0x0303, Fixtures.Handshake(11, Fixtures.CertificateBody)));
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
    }

    [Fact]
    public void MutatedFlights_neverThrow()
    {
        var data = Fixtures.Tls12Flight();
        var rng = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var copy = (byte[])data.Clone();
            copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
            _ = Run(copy);
        }
    }
}
