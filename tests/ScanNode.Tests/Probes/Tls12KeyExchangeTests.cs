using System.Collections.Immutable;
using System.Numerics;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// The DHE side of <see cref="Tls12KeyExchange"/> on parameters no real server here sends: the share it computes must
/// agree with the server's (checked with the server's own secret), and a prime beyond ffdhe8192 is refused instead of
/// costing minutes of exponentiation (the handshake tests cover real servers).
/// </summary>
public class Tls12KeyExchangeTests
{
    // RFC 3526 §2: the 1536-bit MODP group's prime, g = 2.
    private static readonly BigInteger Modp1536 = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
        System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public void DheShare_agreesWithTheServersSecret()
    {
        var serverSecret = new BigInteger(12345678901234567);
        var ys = BigInteger.ModPow(2, serverSecret, Modp1536);

        var (message, preMaster) = Tls12KeyExchange.Create(DheSpec(), Flight(Modp1536, ys))!.Value;

        // handshake header (4) + dh_Yc<1..2^16-1> (RFC 5246 §7.4.7.2)
        var yc = new BigInteger(message.AsSpan(6), isUnsigned: true, isBigEndian: true);
        var z = BigInteger.ModPow(yc, serverSecret, Modp1536);
        Assert.Equal(z.ToByteArray(isUnsigned: true, isBigEndian: true), preMaster);
    }

    [Fact]
    public void SecondDheHandshakeWithTheSameGroup_reusesTheShare_andStillAgrees()
    {
        var first = Tls12KeyExchange.Create(DheSpec(), Flight(Modp1536, BigInteger.ModPow(2, 1111, Modp1536)))!.Value;
        var serverSecret = new BigInteger(98765432109876543);
        var second = Tls12KeyExchange.Create(DheSpec(), Flight(Modp1536, BigInteger.ModPow(2, serverSecret, Modp1536)))!.Value;

        Assert.Equal(first.Message, second.Message); // the same Yc: one exponentiation per handshake, not two
        var yc = new BigInteger(second.Message.AsSpan(6), isUnsigned: true, isBigEndian: true);
        Assert.Equal(BigInteger.ModPow(yc, serverSecret, Modp1536).ToByteArray(isUnsigned: true, isBigEndian: true), second.PreMaster);
    }

    [Fact]
    public void DhePrimeBeyond8192Bits_isUnusable()
    {
        var p = (BigInteger.One << 9000) - 1; // odd; its size alone disqualifies it

        Assert.Null(Tls12KeyExchange.Create(DheSpec(), Flight(p, 5)));
    }

    private static Tls12CipherSpec DheSpec() => Tls12CipherSpec.Find(0x0033)!; // TLS_DHE_RSA_WITH_AES_128_CBC_SHA

    private static HandshakeResult Flight(BigInteger p, BigInteger ys) => new()
    {
        Outcome = HandshakeOutcome.ServerHello,
        ServerKeyExchange = new ServerKeyExchange
        {
            Kind = ServerKeyExchangeKind.Dhe,
            DhP = [.. p.ToByteArray(isUnsigned: true, isBigEndian: true)],
            DhG = ImmutableArray.Create((byte)2),
            DhYs = [.. ys.ToByteArray(isUnsigned: true, isBigEndian: true)],
        },
    };
}
