using System.Buffers.Binary;
using XmppScanCluster.ScanNode.Tests.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>What a <see cref="LegacyTlsServer"/> accepts and how it misbehaves.</summary>
internal sealed record LegacyTlsPolicy
{
    /// <summary>Suites per version, in the server's order.</summary>
    public Dictionary<TlsVersion, ushort[]> Suites { get; init; } = [];

    /// <summary>Pick by the server's order (else the client's first acceptable suite).</summary>
    public bool ServerPreference { get; init; }

    /// <summary>SSLv2 cipher kinds; null = close SSLv2 hellos.</summary>
    public int[]? Ssl2CipherKinds { get; init; }

    /// <summary>Reset connections whose ClientHello (all records) is longer than this: long-hello intolerance.</summary>
    public int? MaxHelloBytes { get; init; }

    /// <summary>Reset connections whose ClientHello carries this extension (a server choking on unknown extensions).</summary>
    public ushort? ResetOnExtension { get; init; }

    /// <summary>The DH prime of DHE suites (default: mod_ssl 2.0's 512-bit built-in prime).</summary>
    public byte[] DhPrime { get; init; } = Convert.FromHexString(WellKnownDhGroups.All.Single(g => g.Name == "modssl_2_0_512").PrimeHex);
}

/// <summary>
/// A scripted legacy TLS server built on <see cref="FakeTlsServer"/>, for what no real server here can do:
/// SSLv2, SSLv3, export and single-DES suites, RC4, 512-bit DH, long-hello intolerance, resets on unknown
/// extensions. Every connection follows the same transcript: read the ClientHello, then either reset, send
/// an alert, or send ServerHello, Certificate, ServerKeyExchange (DHE/RSA export), ServerHelloDone. It
/// never finishes a handshake: the assessment never needs it to. No ECDHE, no TLS 1.3.
/// </summary>
internal static class LegacyTlsServer
{
    private static readonly ushort[] Ladder = [0x0303, 0x0302, 0x0301, 0x0300];

    public static FakeTlsServer Start(LegacyTlsPolicy policy) =>
        new() { EveryConnection = Answer(policy) };

    /// <summary>The transcript of one connection, for a server that plays it only on some connections.</summary>
    public static Func<FakeTlsServer.Connection, Task> Answer(LegacyTlsPolicy policy) => c => AnswerAsync(c, policy);

    private static async Task AnswerAsync(FakeTlsServer.Connection c, LegacyTlsPolicy policy)
    {
        var hello = await c.ExpectClientHelloAsync();
        if ((hello[0] & 0x80) != 0)
        {
            await AnswerSsl2Async(c, hello, policy);
            return;
        }

        var ch = TestClientHelloParser.Parse(hello);
        if (hello.Length > policy.MaxHelloBytes
            || (policy.ResetOnExtension is { } bad && ch.Extensions?.Any(e => e.Type == bad) == true))
        {
            c.Reset();
            return;
        }

        // The highest version the server has at or below the client's (RFC 5246 Appendix E.1).
        var version = Ladder.Where(v => v <= ch.ClientVersion && policy.Suites.ContainsKey((TlsVersion)v)).Cast<ushort?>().FirstOrDefault();
        if (version is not { } v)
        {
            await c.SendAsync(Alert(ch.ClientVersion, 70)); // protocol_version
            return;
        }

        var mine = policy.Suites[(TlsVersion)v];
        ushort? chosen = policy.ServerPreference
            ? mine.Where(ch.CipherSuites.Contains).Cast<ushort?>().FirstOrDefault()
            : ch.CipherSuites.Where(mine.Contains).Cast<ushort?>().FirstOrDefault();
        if (chosen is not { } suite)
        {
            await c.SendAsync(Alert(v, 40)); // handshake_failure
            return;
        }

        await c.SendAsync(Flight(v, suite, ch.Extensions is not null, policy));
        await c.StaySilentAsync();
    }

    private static byte[] Flight(ushort version, ushort suite, bool clientSentExtensions, LegacyTlsPolicy policy)
    {
        var info = CipherSuiteRegistry.Find(suite)!;
        var sh = Fixtures.Handshake(2, Fixtures.Concat(
            U16(version),                                  // server_version
            Fixtures.PlainRandom,                          // random
            [0x00],                                        // session_id: empty
            U16(suite),                                    // cipher_suite
            [0x00],                                        // compression null
            clientSentExtensions
                ? Fixtures.Concat([0x00, 0x05], [0xFF, 0x01, 0x00, 0x01, 0x00]) // extensions: renegotiation_info, empty
                : []));
        var parts = new List<byte[]> { sh };
        if (!info.IsAnonymous)
        {
            parts.Add(Fixtures.Handshake(11, Fixtures.CertificateBody));
        }

        var signature = Fixtures.Concat(version >= 0x0303 ? [0x04, 0x01] : [], [0x00, 0x04, 0xAB, 0xCD, 0xEF, 0x01]);
        if (info.KeyExchange == KeyExchange.Dhe)
        {
            parts.Add(Fixtures.Handshake(12, Fixtures.Concat(
                Vector16(policy.DhPrime),                  // dh_p
                [0x00, 0x01, 0x02],                        // dh_g = 2
                Vector16(Fixtures.Repeat(0x5A, policy.DhPrime.Length)), // dh_Ys
                info.IsAnonymous ? [] : signature)));
        }
        else if (info.IsExport && info.KeyExchange == KeyExchange.Rsa)
        {
            parts.Add(Fixtures.Handshake(12, Fixtures.Concat(
                [0x00, 0x40, 0xC5], Fixtures.Repeat(0x01, 63), // rsa_modulus: 512 bits
                [0x00, 0x03, 0x01, 0x00, 0x01],                // rsa_exponent 65537
                signature)));
        }

        parts.Add(Fixtures.Handshake(14, []));
        return Fixtures.Record(22, version, Fixtures.Concat([.. parts]));
    }

    private static async Task AnswerSsl2Async(FakeTlsServer.Connection c, byte[] hello, LegacyTlsPolicy policy)
    {
        if (policy.Ssl2CipherKinds is not { } kinds)
        {
            return; // close
        }

        // CLIENT-HELLO: msg(1) version(2) cipher-specs-length(2) session-id-length(2) challenge-length(2), then specs.
        var specsLength = BinaryPrimitives.ReadUInt16BigEndian(hello.AsSpan(2 + 3));
        var offered = new HashSet<int>();
        for (var i = 0; i < specsLength; i += 3)
        {
            var at = 2 + 9 + i;
            offered.Add((hello[at] << 16) | (hello[at + 1] << 8) | hello[at + 2]);
        }

        var common = kinds.Where(offered.Contains).SelectMany(k => new[] { (byte)(k >> 16), (byte)(k >> 8), (byte)k }).ToArray();
        var body = Fixtures.Concat(
            [0x04, 0x00, 0x01, 0x00, 0x02],               // SERVER-HELLO, no session hit, X.509, version 2
            [0x00, 0x04], U16((ushort)common.Length), [0x00, 0x10], // certificate, cipher specs, connection id lengths
            [0x30, 0x02, 0x05, 0x00], common, Fixtures.Repeat(0xC1, 16));
        await c.SendAsync(Fixtures.Concat(U16((ushort)(0x8000 | body.Length)), body));
        await c.StaySilentAsync();
    }

    private static byte[] Alert(ushort version, byte description) => Fixtures.Record(21, version, [0x02, description]);

    private static byte[] U16(ushort v) => [(byte)(v >> 8), (byte)v];

    private static byte[] Vector16(byte[] data) => Fixtures.Concat(U16((ushort)data.Length), data);
}
