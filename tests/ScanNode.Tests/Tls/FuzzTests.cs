using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Tls;

/// <summary>Every truncation and thousands of seeded single-byte mutations give a status, never an exception.</summary>
public class FuzzTests
{
    private static readonly CipherSuiteInfo[] SkeSuites =
        [.. new ushort[] { 0xC02F, 0x0033, 0x0034, 0x008C, 0x00AA, 0xC035, 0x0003, 0xC01D, 0x0000 }.Select(c => CipherSuiteRegistry.Find(c)!)];

    public static TheoryData<string> FixtureNames => new()
    {
        nameof(Fixtures.Tls12ServerHelloBody), nameof(Fixtures.Tls13ServerHelloBody), nameof(Fixtures.HelloRetryRequestBody),
        nameof(Fixtures.DowngradeServerHelloBody), nameof(Fixtures.CertificateBody), nameof(Fixtures.EcdheSkeBody),
        nameof(Fixtures.DheTls10SkeBody), nameof(Fixtures.CertificateStatusBody), nameof(Fixtures.Ssl2ServerHello),
        nameof(Fixtures.AlertRecord), "Flight",
    };

    private static byte[] Get(string name) => name == "Flight"
        ? Fixtures.Tls12Flight()
        : (byte[])typeof(Fixtures).GetProperty(name)!.GetValue(null)!;

    /// <summary>Runs every parser over the bytes; any exception fails the test.</summary>
    private static void ParseEverything(byte[] data)
    {
        _ = ServerHelloParser.Parse(data);
        _ = HandshakeMessageParser.ParseCertificate(data);
        _ = HandshakeMessageParser.ParseCertificateStatus(data);
        _ = HandshakeMessageParser.ParseAlert(data);
        _ = HandshakeMessageParser.ParseServerHelloDone(data);
        foreach (var suite in SkeSuites)
        {
            _ = ServerKeyExchangeParser.Parse(data, suite, 0x0303);
            _ = ServerKeyExchangeParser.Parse(data, suite, 0x0301);
        }

        _ = Ssl2ServerHelloParser.Parse(data, 32767, out _);
        _ = TlsRecordParser.TryReadHeader(data, 18432, out _, out _);
        var (messages, _, _) = ReassemblerTests.Feed(data, ReassemblerTests.RandomSizes(data.Length));
        foreach (var m in messages)
        {
            _ = ServerHelloParser.Parse(m.Body);
            _ = HandshakeMessageParser.ParseCertificate(m.Body);
        }
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void EveryTruncation_givesAStatus(string name)
    {
        var data = Get(name);
        for (var n = 0; n <= data.Length; n++)
        {
            ParseEverything(data[..n]);
        }
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void SeededMutations_giveAStatus(string name)
    {
        var data = Get(name);
        // A seed fixed per fixture (string.GetHashCode differs per process), named in every failure so it replays.
        var seed = 20261121 ^ (int)StableHash(name);
        var rng = new Random(seed);
        for (var i = 0; i < 3000; i++)
        {
            var copy = (byte[])data.Clone();
            copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
            if (i % 3 == 0)
            {
                copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
            }

            try
            {
                ParseEverything(copy);
            }
            catch (Exception e)
            {
                Assert.Fail($"{name}: seed {seed}, mutation {i}, bytes {Convert.ToHexString(copy)}: {e}");
            }
        }
    }

    /// <summary>FNV-1a over the UTF-16 code units: the same in every process.</summary>
    private static uint StableHash(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    [Fact]
    public void TruncatedServerHello_returnsInvalid_notException()
    {
        var body = Fixtures.Tls12ServerHelloBody;
        for (var n = 0; n < body.Length; n++)
        {
            var r = ServerHelloParser.Parse(body.AsSpan(0, n));
            // Either a shorter-but-valid hello (no extensions block) or Invalid.
            Assert.True(r.Status is ParseStatus.Invalid || n == 42, $"length {n}: {r.Status}");
        }
    }
}
