using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>
/// The server's encrypted TLS 1.3 flight as the engine checks it (RFC 8446 §4.3–4.4), message by message without I/O:
/// a flight in order with a valid CertificateVerify and Finished completes; a Finished that does not verify, a
/// CertificateVerify by another key, messages out of order, an empty chain or a flood of certificates end the handshake
/// as a protocol failure, never as a session.
/// </summary>
public class Tls13ServerFlightTests
{
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly byte[] Leaf = SelfSigned(Key);

    [Fact]
    public void FlightInOrder_withValidSignatureAndFinished_completes_andRecordsTheChainAndAlpn()
    {
        using var schedule = Schedule();
        var presented = new List<byte[]>();
        var flight = new Tls13ServerFlight(schedule, presented, maxCertificates: 4);

        flight.Accept(EncryptedExtensions("xmpp-client"));
        flight.Accept(Certificate(Leaf));
        flight.Accept(CertificateVerify(Key, schedule));
        flight.Accept(Finished(schedule.FinishedVerifyData(schedule.ServerHandshakeTrafficSecret)));

        Assert.True(flight.Finished);
        Assert.Equal("xmpp-client", flight.Alpn);
        Assert.Equal([Leaf], presented);
    }

    [Fact]
    public void FinishedThatDoesNotVerify_isAProtocolFailure()
    {
        using var schedule = Schedule();
        var flight = new Tls13ServerFlight(schedule, [], 4);
        flight.Accept(EncryptedExtensions(null));
        flight.Accept(Certificate(Leaf));
        flight.Accept(CertificateVerify(Key, schedule));
        var wrong = schedule.FinishedVerifyData(schedule.ClientHandshakeTrafficSecret); // the client's key, not the server's

        var e = Assert.Throws<EngineHandshakeException>(() => flight.Accept(Finished(wrong)));

        Assert.Contains("Finished does not verify", e.Message);
        Assert.False(flight.Finished);
    }

    [Fact]
    public void CertificateVerifyByAnotherKey_isAProtocolFailure()
    {
        using var schedule = Schedule();
        using var other = RSA.Create(2048);
        var flight = new Tls13ServerFlight(schedule, [], 4);
        flight.Accept(EncryptedExtensions(null));
        flight.Accept(Certificate(Leaf));

        var e = Assert.Throws<EngineHandshakeException>(() => flight.Accept(CertificateVerify(other, schedule)));

        Assert.Contains("CertificateVerify does not verify", e.Message);
    }

    [Fact]
    public void MessagesOutOfOrder_emptyChain_andTooManyCertificates_areProtocolFailures()
    {
        using var schedule = Schedule();
        var skipped = new Tls13ServerFlight(schedule, [], 4);
        skipped.Accept(EncryptedExtensions(null));
        Assert.Throws<EngineHandshakeException>(() => skipped.Accept(Finished(new byte[32]))); // no Certificate, no CertificateVerify

        var empty = new Tls13ServerFlight(schedule, [], 4);
        empty.Accept(EncryptedExtensions(null));
        Assert.Throws<EngineHandshakeException>(() => empty.Accept(Certificate()));

        var presented = new List<byte[]>();
        var flood = new Tls13ServerFlight(schedule, presented, 4);
        flood.Accept(EncryptedExtensions(null));
        Assert.Throws<EngineHandshakeException>(() => flood.Accept(Certificate(Leaf, Leaf, Leaf, Leaf, Leaf)));
        Assert.Equal(4, presented.Count);
    }

    private static Tls13KeySchedule Schedule()
    {
        var schedule = new Tls13KeySchedule(HashAlgorithmName.SHA256);
        schedule.AddToTranscript([1, 0, 0, 2, 3, 3]); // stand-ins for ClientHello and ServerHello: only their hash matters
        schedule.AddToTranscript([2, 0, 0, 2, 3, 3]);
        schedule.DeriveHandshakeSecrets(RandomNumberGenerator.GetBytes(32));
        return schedule;
    }

    private static TlsMessage Message(TlsHandshakeType type, byte[] body) =>
        new(TlsContentType.Handshake, 0x0303, type, [(byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body]);

    private static TlsMessage EncryptedExtensions(string? alpn)
    {
        byte[] extensions = alpn is null ? [] : [0, 16, 0, (byte)(alpn.Length + 3), 0, (byte)(alpn.Length + 1), (byte)alpn.Length,
            .. System.Text.Encoding.ASCII.GetBytes(alpn)];
        return Message(TlsHandshakeType.EncryptedExtensions, [0, (byte)extensions.Length, .. extensions]);
    }

    /// <summary>context&lt;0..255&gt; = empty, certificate_list&lt;0..2^24-1&gt; of { cert_data&lt;1..2^24-1&gt;, extensions&lt;0..2^16-1&gt; = empty }.</summary>
    private static TlsMessage Certificate(params byte[][] chain)
    {
        var list = chain.SelectMany(der => (byte[])[(byte)(der.Length >> 16), (byte)(der.Length >> 8), (byte)der.Length, .. der, 0, 0]).ToArray();
        return Message(TlsHandshakeType.Certificate, [0, (byte)(list.Length >> 16), (byte)(list.Length >> 8), (byte)list.Length, .. list]);
    }

    /// <summary>rsa_pss_rsae_sha256 over the transcript so far (RFC 8446 §4.4.3).</summary>
    private static TlsMessage CertificateVerify(RSA key, Tls13KeySchedule schedule)
    {
        var signature = key.SignData(HandshakeSignature.Tls13ServerContent(schedule.TranscriptHash()), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return Message(TlsHandshakeType.CertificateVerify, [0x08, 0x04, (byte)(signature.Length >> 8), (byte)signature.Length, .. signature]);
    }

    private static TlsMessage Finished(byte[] verifyData) => Message(TlsHandshakeType.Finished, verifyData);

    private static byte[] SelfSigned(RSA key)
    {
        using var cert = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.RawData;
    }
}
