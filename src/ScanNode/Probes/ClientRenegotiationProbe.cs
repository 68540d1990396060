using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Client-initiated renegotiation, one connection. .NET's SslStream cannot renegotiate as a client, so the
/// probe completes a TLS 1.2 handshake itself with one of three AES-128-GCM suites (ECDHE_RSA, ECDHE_ECDSA on
/// secp256r1/secp384r1, or static RSA) — ClientKeyExchange, ChangeCipherSpec, Finished; the server's
/// ChangeCipherSpec and Finished are read and authenticated — then sends a second ClientHello encrypted under
/// the session keys, with renegotiation_info = client verify_data when the server signalled RFC 5746
/// (§3.5). An encrypted ServerHello back means accepted; an alert (no_renegotiation) or a close, refused.
/// The certificate and the ServerKeyExchange signature are not verified: no secret is sent.
/// Skipped (with a note) when the server does not do TLS 1.2 with one of those suites.
/// </summary>
public sealed class ClientRenegotiationProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    /// <summary>The suites this probe can complete a handshake with, in offer order.</summary>
    public static IReadOnlyList<ushort> Suites { get; } = [0xC02F, 0xC02B, 0x009C];

    private static readonly ushort[] Groups = [NamedGroups.Secp256r1, NamedGroups.Secp384r1];

    /// <summary>Records read while waiting for the server's Finished, or for its answer to the second ClientHello.</summary>
    private const int MaxRecordsRead = 8;

    public async Task<VulnerabilityProbeResult<ClientRenegotiationFacts>> RunAsync(
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        if (!context.SupportedVersions.Contains(TlsVersion.Tls12))
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped("TLS 1.2 is not supported: the probe completes a TLS 1.2 handshake");
        }

        var (session, flight) = await FirstFlightSession.StartAsync(connections, limits, Hello(context.ServerName, null), cancellationToken)
            .ConfigureAwait(false);
        await using var _ = session;
        if (session is null || flight.Outcome != HandshakeOutcome.ServerHello || !flight.SawServerHelloDone)
        {
            // handshake_failure / insufficient_security: none of the three suites (or curves) is acceptable.
            return flight is { Outcome: HandshakeOutcome.Alert, Alert.Description: TlsAlertDescription.HandshakeFailure or TlsAlertDescription.InsufficientSecurity }
                ? VulnerabilityProbeResult<ClientRenegotiationFacts>.Skipped(
                    "no AES-128-GCM suite in common for a full handshake (alert " + flight.Alert.DescriptionName + ")", 1)
                : VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(ProbeOutcomes.FailureOf(flight), 1);
        }

        var sh = flight.ServerHello!;
        if (sh.NegotiatedVersion != (ushort)TlsVersion.Tls12 || !Suites.Contains(sh.CipherSuite) || sh.ExtendedMasterSecret || sh.EncryptThenMac)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(
                new ProbeFailure(FailureKind.ProtocolError, "server chose parameters that were not offered"), 1);
        }

        var clientKeyExchange = ClientKeyExchange(flight);
        if (clientKeyExchange is null)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(
                new ProbeFailure(FailureKind.ProtocolError, "unusable server key exchange parameters or certificate"), 1);
        }

        var (cke, preMaster) = clientKeyExchange.Value;
        using var keys = Tls12SessionKeys.Derive(preMaster, session.ClientRandom, sh.Random.AsSpan());
        CryptographicOperations.ZeroMemory(preMaster);

        var v = (ushort)TlsVersion.Tls12;
        var plain = new List<byte>();
        if (flight.CertificateRequested)
        {
            byte[] emptyCertificate = [(byte)TlsHandshakeType.Certificate, 0, 0, 3, 0, 0, 0]; // certificate_list<0..2^24-1>: empty
            session.AddToTranscript(emptyCertificate);
            plain.AddRange(emptyCertificate);
        }

        session.AddToTranscript(cke);
        plain.AddRange(cke);
        var clientVerify = keys.VerifyData("client finished", [.. session.Transcript]);
        byte[] finished = [(byte)TlsHandshakeType.Finished, 0, 0, 12, .. clientVerify];
        byte[] firstFlight =
        [
            .. TlsRecordWriter.Wrap(TlsContentType.Handshake, v, [.. plain]),
            .. TlsRecordWriter.Wrap(TlsContentType.ChangeCipherSpec, v, [1]),
            .. keys.Protect(TlsContentType.Handshake, v, finished),
        ];
        if (await session.SendAsync(firstFlight).ConfigureAwait(false) is { } sendFailure)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(sendFailure, 1);
        }

        if (await ReadServerFinishedAsync(session, keys).ConfigureAwait(false) is { } notFinished)
        {
            return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(notFinished, 1);
        }

        var secure = sh.RenegotiationInfo is not null;
        var second = ClientHelloBuilder.BuildHandshake(Hello(context.ServerName, secure ? clientVerify : null));
        if (await session.SendAsync(keys.Protect(TlsContentType.Handshake, v, second)).ConfigureAwait(false) is { } renegFailure)
        {
            return Completed(sh, secure, ClientRenegotiation.Refused, null, renegFailure.Message);
        }

        for (var i = 0; i < MaxRecordsRead; i++)
        {
            var (reaction, header, fragment) = await session.ReadRawRecordAsync().ConfigureAwait(false);
            if (fragment is null)
            {
                return reaction == RecordReaction.NoAnswer
                    ? Completed(sh, secure, ClientRenegotiation.NoAnswer, null, null)
                    : Completed(sh, secure, ClientRenegotiation.Refused, null, "closed without an alert");
            }

            var record = keys.Unprotect(header, fragment);
            if (record is null)
            {
                return VulnerabilityProbeResult<ClientRenegotiationFacts>.Failed(
                    new ProbeFailure(FailureKind.ProtocolError, "a record after Finished did not authenticate"), 1);
            }

            switch (header.ContentType)
            {
                case TlsContentType.Handshake when record.Length > 0 && record[0] == (byte)TlsHandshakeType.ServerHello:
                    return Completed(sh, secure, ClientRenegotiation.Accepted, null, null);
                case TlsContentType.Alert when HandshakeMessageParser.ParseAlert(record) is { IsComplete: true, Value: { } alert }:
                    return Completed(sh, secure, ClientRenegotiation.Refused, alert.DescriptionName, null);
            }

            // Anything else (a NewSessionTicket, application data) is skipped.
        }

        return Completed(sh, secure, ClientRenegotiation.NoAnswer, null, "no ServerHello or alert within " + MaxRecordsRead + " records");
    }

    /// <summary>A TLS 1.2 ClientHello for the suites above, without extended_master_secret, encrypt_then_mac or
    /// session tickets (which this minimal client does not implement); renegotiation_info carries
    /// <paramref name="clientVerifyData"/> on the renegotiation (RFC 5746 §3.5).</summary>
    public static ClientHelloProfile Hello(string? serverName, byte[]? clientVerifyData)
    {
        var hello = ClientHelloProfiles.Tls(TlsVersion.Tls12, Suites, serverName);
        var renegotiationInfo = ClientHelloExtension.Create(TlsExtensionType.RenegotiationInfo, w => w.WriteVector(1, clientVerifyData ?? []));
        var extensions = hello.Extensions
            .Where(e => e.Type is not (TlsExtensionType.ExtendedMasterSecret or TlsExtensionType.SessionTicket
                or TlsExtensionType.Heartbeat or TlsExtensionType.StatusRequest))
            .Select(e => e.Type switch
            {
                TlsExtensionType.RenegotiationInfo => renegotiationInfo,
                TlsExtensionType.SupportedGroups => ClientHelloExtension.SupportedGroups(Groups),
                TlsExtensionType.EcPointFormats => ClientHelloExtension.EcPointFormats(0),
                _ => e,
            });
        return hello with { Extensions = [.. extensions] };
    }

    private static VulnerabilityProbeResult<ClientRenegotiationFacts> Completed(
        ServerHello sh, bool secure, ClientRenegotiation outcome, string? alert, string? note) =>
        VulnerabilityProbeResult<ClientRenegotiationFacts>.Completed(
            new ClientRenegotiationFacts(TlsVersion.Tls12.Name(), CipherSuiteRegistry.NameOf(sh.CipherSuite), secure, outcome, alert), 1, note);

    /// <summary>Reads the server's ChangeCipherSpec and an authenticated Finished; null when both came.</summary>
    private static async Task<ProbeFailure?> ReadServerFinishedAsync(FirstFlightSession session, Tls12SessionKeys keys)
    {
        var sawCcs = false;
        for (var i = 0; i < MaxRecordsRead; i++)
        {
            var (reaction, header, fragment) = await session.ReadRawRecordAsync().ConfigureAwait(false);
            if (fragment is null)
            {
                return new ProbeFailure(reaction == RecordReaction.NoAnswer ? FailureKind.Timeout : FailureKind.ConnectionClosed,
                    "no server Finished: " + reaction);
            }

            if (!sawCcs)
            {
                switch (header.ContentType)
                {
                    case TlsContentType.ChangeCipherSpec:
                        sawCcs = true;
                        continue;
                    case TlsContentType.Alert when HandshakeMessageParser.ParseAlert(fragment) is { IsComplete: true, Value: { } alert }:
                        return new ProbeFailure(FailureKind.TlsAlert, "handshake not completed: alert " + alert.DescriptionName);
                    default:
                        continue; // e.g. a plaintext NewSessionTicket
                }
            }

            var record = keys.Unprotect(header, fragment);
            return record is { Length: 16 } && record[0] == (byte)TlsHandshakeType.Finished
                ? null
                : new ProbeFailure(FailureKind.ProtocolError, "server Finished did not authenticate");
        }

        return new ProbeFailure(FailureKind.ProtocolError, "no server Finished within " + MaxRecordsRead + " records");
    }

    /// <summary>The ClientKeyExchange message and the pre-master secret, or null if the parameters are unusable.</summary>
    private static (byte[] Message, byte[] PreMaster)? ClientKeyExchange(HandshakeResult flight)
    {
        if (flight.ServerHello!.CipherSuite == 0x009C)
        {
            return RsaKeyExchange(flight);
        }

        if (flight.ServerKeyExchange is not { Kind: ServerKeyExchangeKind.Ecdhe, NamedCurve: { } group, EcPoint: { } point })
        {
            return null;
        }

        var curve = group switch
        {
            NamedGroups.Secp256r1 => ECCurve.NamedCurves.nistP256,
            NamedGroups.Secp384r1 => ECCurve.NamedCurves.nistP384,
            _ => (ECCurve?)null,
        };
        var size = group == NamedGroups.Secp256r1 ? 32 : 48;
        if (curve is null || point.Length != 1 + 2 * size || point[0] != 4)
        {
            return null;
        }

        try
        {
            using var server = ECDiffieHellman.Create(new ECParameters
            {
                Curve = curve.Value,
                Q = new ECPoint { X = point.AsSpan(1, size).ToArray(), Y = point.AsSpan(1 + size, size).ToArray() },
            });
            using var mine = ECDiffieHellman.Create(curve.Value);
            var q = mine.ExportParameters(false).Q;
            var preMaster = mine.DeriveRawSecretAgreement(server.PublicKey);
            byte[] body = [(byte)(1 + q.X!.Length + q.Y!.Length), 4, .. q.X, .. q.Y]; // ECPoint ecdh_Yc<1..2^8-1> (RFC 8422 §5.7)
            return (Handshake(TlsHandshakeType.ClientKeyExchange, body), preMaster);
        }
        catch (CryptographicException)
        {
            return null; // not a point on the curve
        }
    }

    private static (byte[] Message, byte[] PreMaster)? RsaKeyExchange(HandshakeResult flight)
    {
        if (flight.Certificates.IsEmpty)
        {
            return null;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(flight.Certificates[0].AsSpan());
            using var rsa = cert.GetRSAPublicKey();
            if (rsa is null)
            {
                return null;
            }

            // PreMasterSecret = client_version(2) + random(46); EncryptedPreMasterSecret<0..2^16-1> (RFC 5246 §7.4.7.1).
            byte[] preMaster = [0x03, 0x03, .. RandomNumberGenerator.GetBytes(46)];
            var encrypted = rsa.Encrypt(preMaster, RSAEncryptionPadding.Pkcs1);
            byte[] body = [(byte)(encrypted.Length >> 8), (byte)encrypted.Length, .. encrypted];
            return (Handshake(TlsHandshakeType.ClientKeyExchange, body), preMaster);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static byte[] Handshake(TlsHandshakeType type, byte[] body) =>
        [(byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];
}
