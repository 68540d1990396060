using System.Buffers.Binary;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Tls;

public class ClientHelloTests
{
    private static readonly ushort[] Suites = [0xC02F, 0xC030, 0x009C, 0x002F, 0x000A, 0x00FF];

    [Theory]
    [InlineData(TlsVersion.Tls10)]
    [InlineData(TlsVersion.Tls11)]
    [InlineData(TlsVersion.Tls12)]
    public void TlsProfile_roundTrips_throughAnIndependentParser(TlsVersion version)
    {
        var profile = ClientHelloProfiles.For(version, Suites, "example.org");
        var parsed = TestClientHelloParser.Parse(ClientHelloBuilder.BuildRecords(profile));
        Assert.Equal((ushort)TlsVersion.Tls10, parsed.RecordVersion);
        Assert.Equal((ushort)version, parsed.ClientVersion);
        Assert.Equal(Suites, parsed.CipherSuites);
        Assert.Equal([(byte)0], parsed.CompressionMethods);
        Assert.Equal(profile.Extensions.Select(e => e.Type), parsed.Extensions!.Select(e => e.Type));
        foreach (var (e, p) in profile.Extensions.Zip(parsed.Extensions!))
        {
            if (e.PadToLength == 0) Assert.Equal(e.Data.ToArray(), p.Data);
        }

        var sni = parsed.Extensions!.Single(e => e.Type == TlsExtensionType.ServerName).Data;
        Assert.Equal([0x00, 0x0E, 0x00, 0x00, 0x0B, .. "example.org"u8], sni);
        Assert.Equal(version == TlsVersion.Tls12, parsed.Extensions!.Any(e => e.Type == TlsExtensionType.SignatureAlgorithms));
    }

    [Fact]
    public void Padding_makesTheHelloExactly512Bytes()
    {
        var parsed = TestClientHelloParser.Parse(ClientHelloBuilder.BuildRecords(ClientHelloProfiles.Tls(TlsVersion.Tls12, Suites, "a.example")));
        Assert.Equal(512, parsed.HandshakeLength);
        Assert.All(parsed.Extensions!.Single(e => e.Type == TlsExtensionType.Padding).Data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Ssl3Profile_hasNoExtensionsBlock()
    {
        var parsed = TestClientHelloParser.Parse(ClientHelloBuilder.BuildRecords(ClientHelloProfiles.Ssl3([0x000A, 0x0005])));
        Assert.Equal(0x0300, parsed.RecordVersion);
        Assert.Equal(0x0300, parsed.ClientVersion);
        Assert.Null(parsed.Extensions);
        Assert.Empty(parsed.SessionId);
    }

    [Fact]
    public void Tls13Profile_offersTls13_withValidKeyShares()
    {
        var profile = ClientHelloProfiles.Tls13([0x1301, 0x1302, 0x1303], "example.org");
        var parsed = TestClientHelloParser.Parse(ClientHelloBuilder.BuildRecords(profile));
        Assert.Equal(0x0303, parsed.ClientVersion);
        Assert.Equal(32, parsed.SessionId.Length);
        var sv = parsed.Extensions!.Single(e => e.Type == TlsExtensionType.SupportedVersions).Data;
        Assert.Equal([0x02, 0x03, 0x04], sv);

        var ks = parsed.Extensions!.Single(e => e.Type == TlsExtensionType.KeyShare).Data;
        var o = 2;
        Assert.Equal(ks.Length - 2, BinaryPrimitives.ReadUInt16BigEndian(ks));
        var shares = new Dictionary<ushort, byte[]>();
        while (o < ks.Length)
        {
            var group = BinaryPrimitives.ReadUInt16BigEndian(ks.AsSpan(o));
            var len = BinaryPrimitives.ReadUInt16BigEndian(ks.AsSpan(o + 2));
            shares[group] = ks[(o + 4)..(o + 4 + len)];
            o += 4 + len;
        }

        Assert.Equal(32, shares[NamedGroups.X25519].Length);
        var p256 = shares[NamedGroups.Secp256r1];
        Assert.Equal(65, p256.Length);
        Assert.Equal(4, p256[0]);
        // A real point: importing it as a public key validates it is on the curve.
        using var ecdh = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = p256[1..33], Y = p256[33..] },
        });
        ecdh.ExportParameters(false).Validate();
    }

    [Fact]
    public void FixedRandom_isWrittenAsGiven()
    {
        var random = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var profile = ClientHelloProfiles.Tls(TlsVersion.Tls12, Suites, null) with { FixedRandom = [.. random] };
        Assert.Equal(random, TestClientHelloParser.Parse(ClientHelloBuilder.BuildRecords(profile)).Random);
    }

    [Fact]
    public void HugeHello_isSplitIntoRecordsOfAtMost2To14()
    {
        var suites = Enumerable.Range(0x0100, 12000).Select(i => (ushort)i).ToArray();
        var records = ClientHelloBuilder.BuildRecords(ClientHelloProfiles.Tls(TlsVersion.Tls12, suites, null));
        var parsed = TestClientHelloParser.Parse(records); // throws on a record over 2^14
        Assert.Equal(suites, parsed.CipherSuites);
        Assert.True(records.Length > 16384 + 5);
    }

    [Fact]
    public void Ssl2ClientHello_hasTheDraftLayout()
    {
        var challenge = Enumerable.Repeat((byte)0xEE, 16).ToArray();
        var hello = Ssl2ClientHelloBuilder.Build([0x010080, 0x0700C0], 0x0002, challenge);
        Assert.Equal(
            [
                0x80, 0x1F,             // header: bit 15 + length 31
                0x01,                   // MSG-CLIENT-HELLO
                0x00, 0x02,             // CLIENT-VERSION
                0x00, 0x06,             // CIPHER-SPECS-LENGTH
                0x00, 0x00,             // SESSION-ID-LENGTH
                0x00, 0x10,             // CHALLENGE-LENGTH
                0x01, 0x00, 0x80, 0x07, 0x00, 0xC0, // cipher specs
                .. challenge,
            ],
            hello);
    }

    [Fact]
    public void Writer_backFillsNestedLengths_andReaderReadsThemBack()
    {
        var w = new TlsWriter(4);
        var outer = w.BeginVector24();
        var inner = w.BeginVector8();
        w.WriteUInt16(0xBEEF);
        w.EndVector(inner);
        w.WriteUInt32(0x01020304);
        w.EndVector(outer);
        Assert.Equal([0x00, 0x00, 0x07, 0x02, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04], w.ToArray());

        var r = new TlsSpanReader(w.WrittenSpan);
        Assert.True(r.TryReadVector24(out var o));
        var ir = new TlsSpanReader(o);
        Assert.True(ir.TryReadVector8(out var i));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(i));
        Assert.True(ir.TryReadUInt32(out var u) && u == 0x01020304);
        Assert.True(ir.IsEmpty && r.IsEmpty);
    }

    [Fact]
    public void Reader_failedVectorRead_leavesPositionUnchanged()
    {
        var r = new TlsSpanReader([0x00, 0x05, 0x01]);
        Assert.False(r.TryReadVector16(out _));
        Assert.Equal(0, r.Position);
        Assert.False(r.TryReadUInt32(out _));
        Assert.True(r.TryReadUInt24(out var v) && v == 0x000501);
        Assert.False(r.TryReadBytes(-1, out _));
    }
}
