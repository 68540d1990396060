using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>The PKCS#1 v1.5 premaster variants sent in ClientKeyExchange (the ROBOT paper's test messages).</summary>
public enum RobotVariant
{
    /// <summary>0x00 0x02 ‖ nonzero padding ‖ 0x00 ‖ client_version ‖ 46 random bytes: a correct premaster.</summary>
    Valid,
    /// <summary>As valid, with 0x41 0x17 instead of 0x00 0x02: not PKCS#1 conformant at all.</summary>
    WrongPrefix,
    /// <summary>A 0x00 inside the padding (after 8 bytes): conformant, but the "premaster" is too long.</summary>
    ZeroInPadding,
    /// <summary>No 0x00 separator anywhere: correct prefix, no message.</summary>
    NoSeparator,
    /// <summary>A correct premaster whose version bytes are 0x02 0x02 (RFC 5246 §7.4.7.1 version check).</summary>
    WrongVersion,
}

/// <summary>What the premaster variants told apart.</summary>
public enum RobotOracle
{
    /// <summary>Every variant got the same answer, in both rounds.</summary>
    None,
    /// <summary>Only fully conformant premasters are told apart (the paper's weak oracle: many queries).</summary>
    Weak,
    /// <summary>A correct 0x00 0x02 prefix alone is told apart (no separator or a zero in the padding answered as
    /// the valid one, unlike the wrong prefix): the paper's strong oracle.</summary>
    Strong,
    /// <summary>A variant was answered differently in the two rounds: no conclusion.</summary>
    Inconsistent,
}

/// <summary>One variant's reactions in the two rounds ("alert bad_record_mac, closed", "closed", "no answer", …).</summary>
public sealed record RobotReaction(RobotVariant Variant, string First, string Second);

/// <summary>
/// ROBOT (Böck, Somorovsky, Young 2018: the Bleichenbacher RSA padding oracle, CVE-2017-13099 and others):
/// the server's answers to crafted PKCS#1 v1.5 premasters on a static-RSA handshake.
/// </summary>
/// <param name="Protocol">The version negotiated.</param>
/// <param name="CipherSuite">The static-RSA suite the server chose (IANA name).</param>
/// <param name="ModulusBits">The certificate's RSA modulus size.</param>
/// <param name="Reactions">Each variant's answer in both rounds.</param>
/// <param name="Oracle">What the answers tell apart.</param>
public sealed record RobotFacts(string Protocol, string CipherSuite, int ModulusBits, IReadOnlyList<RobotReaction> Reactions, RobotOracle Oracle)
{
    /// <summary>The server answers differently depending on the padding: a Bleichenbacher oracle.</summary>
    public bool Vulnerable => Oracle is RobotOracle.Weak or RobotOracle.Strong;
}

/// <summary>
/// The ROBOT check: for each <see cref="RobotVariant"/>, twice, one connection (opened after the previous one is
/// closed, so the politeness gate sees one at a time): a ClientHello offering only the static-RSA suites the
/// assessment found accepted, then after ServerHelloDone ClientKeyExchange with the variant encrypted raw under the
/// certificate's key (m^e mod n), ChangeCipherSpec and a Finished of fixed bytes (as robot-detect does: every variant
/// fails at the Finished unless the server reveals the padding earlier), then the server's answer. Answers that
/// differ between variants are an oracle; a variant answered differently in the two rounds is inconclusive (a slow
/// or flaky server must not be reported vulnerable).
/// </summary>
public sealed class RobotProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    public const string NoStaticRsa = "no static-RSA suite was found accepted below TLS 1.3 (ROBOT needs RSA key exchange)";

    /// <summary>Rounds of all variants; a difference between rounds makes the result inconclusive.</summary>
    public const int Rounds = 2;

    /// <summary>The Finished record's fixed "encrypted" body (40 bytes, the size of an AES-GCM Finished).</summary>
    private static readonly byte[] FinishedBody = [.. Enumerable.Repeat((byte)0x42, 40)];

    public async Task<VulnerabilityProbeResult<RobotFacts>> RunAsync(VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        var rsa = (context.Suites ?? []).Where(IsStaticRsa).ToList();
        if (context.HighestLegacyVersion is not { } version || version < TlsVersion.Tls10 || rsa.Count == 0)
        {
            return VulnerabilityProbeResult<RobotFacts>.Skipped(NoStaticRsa);
        }

        var hello = ClientHelloProfiles.For(version, rsa, context.ServerName);
        var variants = Enum.GetValues<RobotVariant>();
        var answers = new string[Rounds, variants.Length];
        var used = 0;
        (string Protocol, string Suite, int Bits)? seen = null;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var variant in variants)
            {
                used++;
                var (answer, info, failure) = await OneAsync(hello, (ushort)version, variant, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return VulnerabilityProbeResult<RobotFacts>.Failed(failure, used);
                }

                seen ??= info;
                answers[round, (int)variant] = answer!;
            }
        }

        var reactions = variants.Select(v => new RobotReaction(v, answers[0, (int)v], answers[1, (int)v])).ToList();
        return VulnerabilityProbeResult<RobotFacts>.Completed(
            new RobotFacts(seen!.Value.Protocol, seen.Value.Suite, seen.Value.Bits, reactions, Classify(reactions)), used);
    }

    /// <summary>The oracle the answers show (see <see cref="RobotOracle"/>).</summary>
    public static RobotOracle Classify(IReadOnlyList<RobotReaction> reactions)
    {
        if (reactions.Any(r => r.First != r.Second))
        {
            return RobotOracle.Inconsistent;
        }

        string Of(RobotVariant v) => reactions.First(r => r.Variant == v).First;
        if (reactions.Select(r => r.First).Distinct().Count() == 1)
        {
            return RobotOracle.None;
        }

        var wrongPrefix = Of(RobotVariant.WrongPrefix);
        return Of(RobotVariant.NoSeparator) != wrongPrefix || Of(RobotVariant.ZeroInPadding) != wrongPrefix
            ? RobotOracle.Strong
            : RobotOracle.Weak;
    }

    /// <summary>The encoded message (before encryption) for <paramref name="variant"/>, k = modulus bytes (PKCS#1 v1.5, RFC 8017 §7.2.1).</summary>
    public static byte[] Message(RobotVariant variant, int k, ushort clientVersion)
    {
        // EM = 0x00 ‖ 0x02 ‖ PS (k − 51 nonzero bytes) ‖ 0x00 ‖ premaster (client_version ‖ random[46]), RFC 5246 §7.4.7.1.
        var em = new byte[k];
        em[1] = 0x02;
        var padding = em.AsSpan(2, k - 51);
        RandomNumberGenerator.Fill(padding);
        for (var i = 0; i < padding.Length; i++)
        {
            if (padding[i] == 0) padding[i] = 0x5A;
        }

        em[k - 49] = 0x00;
        em[k - 48] = (byte)(clientVersion >> 8);
        em[k - 47] = (byte)clientVersion;
        RandomNumberGenerator.Fill(em.AsSpan(k - 46));
        switch (variant)
        {
            case RobotVariant.WrongPrefix: em[0] = 0x41; em[1] = 0x17; break;
            case RobotVariant.ZeroInPadding: em[10] = 0x00; break;
            case RobotVariant.NoSeparator: em[k - 49] = 0x5A; break;
            case RobotVariant.WrongVersion: em[k - 48] = 0x02; em[k - 47] = 0x02; break;
        }

        return em;
    }

    private async Task<(string? Answer, (string, string, int) Info, ProbeFailure? Failure)> OneAsync(
        ClientHelloProfile hello, ushort clientVersion, RobotVariant variant, CancellationToken cancellationToken)
    {
        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, hello, cancellationToken).ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone || flight.ServerHello is not { } sh)
        {
            return (null, default, ProbeOutcomes.FailureOf(flight));
        }

        if (CipherSuiteRegistry.Find(sh.CipherSuite) is not { } suite || !IsStaticRsa(sh.CipherSuite) || PublicKey(flight) is not { } key)
        {
            return (null, default, new ProbeFailure(FailureKind.ProtocolError, "the server chose no offered static-RSA suite or sent no RSA certificate"));
        }

        var k = key.Modulus!.Length;
        var encrypted = RawEncrypt(Message(variant, k, clientVersion), key);
        byte[] cke = [(byte)TlsHandshakeType.ClientKeyExchange, 0, (byte)((k + 2) >> 8), (byte)(k + 2), (byte)(k >> 8), (byte)k, .. encrypted];
        var v = session.RecordVersion;
        byte[] flightBytes =
        [
            .. TlsRecordWriter.Wrap(TlsContentType.Handshake, v, cke),
            .. TlsRecordWriter.Wrap(TlsContentType.ChangeCipherSpec, v, [1]),
            .. TlsRecordWriter.Wrap(TlsContentType.Handshake, v, FinishedBody),
        ];
        var info = (ProbeOutcomes.ProtocolOf(flight), suite.IanaName, k * 8);
        if (await session.SendAsync(flightBytes).ConfigureAwait(false) is not null)
        {
            return ("closed before our flight was sent", info, null);
        }

        return (await AnswerAsync(session).ConfigureAwait(false), info, null);
    }

    /// <summary>The first answer and, after an alert, whether the connection was then closed.</summary>
    private static async Task<string> AnswerAsync(FirstFlightSession session)
    {
        var first = await session.ReadRecordAsync().ConfigureAwait(false);
        var text = Describe(first);
        if (first.Reaction == RecordReaction.Alert)
        {
            text += ", " + Describe(await session.ReadRecordAsync().ConfigureAwait(false));
        }

        return text;
    }

    private static string Describe(NextRecord r) => r.Reaction switch
    {
        RecordReaction.Alert => "alert " + r.Alert!.DescriptionName,
        RecordReaction.Closed => "closed",
        RecordReaction.NoAnswer => "no answer",
        _ => "other record",
    };

    private static bool IsStaticRsa(ushort code) =>
        CipherSuiteRegistry.Find(code) is { KeyExchange: KeyExchange.Rsa, IsExport: false };

    private static RSAParameters? PublicKey(HandshakeResult flight)
    {
        if (flight.Certificates.IsEmpty)
        {
            return null;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(flight.Certificates[0].AsSpan());
            using var rsa = cert.GetRSAPublicKey();
            return rsa?.ExportParameters(false);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>m^e mod n, big-endian, k bytes: no padding added (the variants are the padding).</summary>
    private static byte[] RawEncrypt(byte[] message, RSAParameters key)
    {
        var n = new BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(key.Exponent, isUnsigned: true, isBigEndian: true);
        var c = BigInteger.ModPow(new BigInteger(message, isUnsigned: true, isBigEndian: true), e, n);
        var bytes = c.ToByteArray(isUnsigned: true, isBigEndian: true);
        var k = key.Modulus!.Length;
        return bytes.Length == k ? bytes : [.. new byte[k - bytes.Length], .. bytes];
    }
}

/// <summary>The ROBOT check: vulnerable on a weak or strong oracle, safe when every variant got the same answer twice.</summary>
public sealed class RobotCheck : VulnerabilityCheck<RobotFacts>
{
    public const string Key = "robot";

    public override string Id => Key;

    public override string Title => "ROBOT (RSA padding oracle)";

    public override int Order => 80;

    // The oracle is the library's handling of a bad premaster, but the premaster is encrypted under the certificate's RSA
    // key (the facts carry its size), and the answers follow the server's whole first flight: legacy.test's s2s ports ask
    // for a client certificate, so their answer to a ClientKeyExchange without one is unexpected_message where its c2s
    // ports say bad_record_mac (measured on the testbed; the verification hellos do not see a CertificateRequest).
    public override ProbeSharing Sharing => ProbeSharing.ListenerAndCertificate;

    protected override Task<VulnerabilityProbeResult<RobotFacts>> ProbeAsync(ITlsConnectionFactory connections, ScanLimits limits,
        VulnerabilityProbeContext context, CancellationToken cancellationToken) =>
        new RobotProbe(connections, limits).RunAsync(context, cancellationToken);

    public override ProbeVerdict Judge(RobotFacts facts) => facts.Oracle switch
    {
        RobotOracle.Strong or RobotOracle.Weak => ProbeVerdict.Vulnerable(
            $"{facts.Oracle.ToString().ToLowerInvariant()} oracle: valid padding '{Answer(facts, RobotVariant.Valid)}', wrong prefix '{Answer(facts, RobotVariant.WrongPrefix)}'"),
        RobotOracle.None => ProbeVerdict.Safe("every padding variant: " + facts.Reactions[0].First),
        _ => ProbeVerdict.Inconclusive("answers changed between identical rounds"),
    };

    private static string Answer(RobotFacts facts, RobotVariant variant) =>
        facts.Reactions.FirstOrDefault(r => r.Variant == variant)?.First ?? "?";
}
