using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>A TLS 1.2 session this scanner finished: the keys, the client verify_data, and a ticket if one came.</summary>
/// <param name="Keys">Record protection for the rest of the connection.</param>
/// <param name="ClientVerifyData">Our Finished verify_data (renegotiation_info on a renegotiation, RFC 5746 §3.5).</param>
/// <param name="Ticket">The NewSessionTicket ticket (RFC 5077 §3.3), if the server sent one.</param>
/// <param name="TicketLifetimeHint">Its ticket_lifetime_hint in seconds.</param>
internal sealed record CompletedTls12Session(Tls12SessionKeys Keys, byte[] ClientVerifyData, ImmutableArray<byte>? Ticket, uint? TicketLifetimeHint)
    : IDisposable
{
    public void Dispose() => Keys.Dispose();
}

/// <summary>
/// Finishes a TLS 1.2 handshake whose first flight a <see cref="FirstFlightSession"/> has read: ECDHE
/// (secp256r1/secp384r1) or RSA key exchange with AES-128-GCM, an empty Certificate if one was requested,
/// ClientKeyExchange, ChangeCipherSpec, Finished; then the server's NewSessionTicket (if any), ChangeCipherSpec
/// and a Finished that must authenticate under the derived keys. .NET's SslStream offers neither client
/// renegotiation nor a view of session resumption, hence this. The certificate and the ServerKeyExchange
/// signature are not verified: nothing secret is ever sent over such a session.
/// </summary>
internal static class Tls12FullHandshake
{
    /// <summary>The suites this client can finish, in offer order.</summary>
    public static IReadOnlyList<ushort> Suites { get; } = [0xC02F, 0xC02B, 0x009C];

    private static readonly ushort[] Groups = [NamedGroups.Secp256r1, NamedGroups.Secp384r1];

    /// <summary>Records read while waiting for the server's Finished.</summary>
    private const int MaxRecordsRead = 8;

    /// <summary>
    /// A TLS 1.2 ClientHello for <see cref="Suites"/>, without extended_master_secret, encrypt_then_mac,
    /// heartbeat or status_request (not implemented here). renegotiation_info carries
    /// <paramref name="clientVerifyData"/> on a renegotiation (RFC 5746 §3.5); session_ticket carries
    /// <paramref name="ticket"/> when resuming (RFC 5077 §3.1) and is empty otherwise.
    /// </summary>
    public static ClientHelloProfile Hello(string? serverName, byte[]? clientVerifyData = null, ImmutableArray<byte>? ticket = null)
    {
        var hello = ClientHelloProfiles.Tls(TlsVersion.Tls12, Suites, serverName);
        var renegotiationInfo = ClientHelloExtension.Create(TlsExtensionType.RenegotiationInfo, w => w.WriteVector(1, clientVerifyData ?? []));
        var extensions = hello.Extensions
            .Where(e => e.Type is not (TlsExtensionType.ExtendedMasterSecret or TlsExtensionType.Heartbeat or TlsExtensionType.StatusRequest))
            .Select(e => e.Type switch
            {
                TlsExtensionType.RenegotiationInfo => renegotiationInfo,
                TlsExtensionType.SupportedGroups => ClientHelloExtension.SupportedGroups(Groups),
                TlsExtensionType.EcPointFormats => ClientHelloExtension.EcPointFormats(0),
                TlsExtensionType.SessionTicket when ticket is { } t => new ClientHelloExtension(TlsExtensionType.SessionTicket, t),
                _ => e,
            });
        return hello with { Extensions = [.. extensions] };
    }

    /// <summary>True when the first flight can be finished by this client (TLS 1.2, one of our suites, nothing unasked).</summary>
    public static bool CanComplete(HandshakeResult flight) =>
        flight is { Outcome: HandshakeOutcome.ServerHello, SawServerHelloDone: true, ServerHello: { } sh }
        && sh.NegotiatedVersion == (ushort)TlsVersion.Tls12 && Suites.Contains(sh.CipherSuite)
        && !sh.ExtendedMasterSecret && !sh.EncryptThenMac;

    /// <summary>Sends our flight and reads the server's; the session, or why not.</summary>
    public static async Task<(CompletedTls12Session? Session, ProbeFailure? Failure)> CompleteAsync(FirstFlightSession session, HandshakeResult flight)
    {
        if (!CanComplete(flight))
        {
            return (null, new ProbeFailure(FailureKind.ProtocolError, "server chose parameters that were not offered"));
        }

        var sh = flight.ServerHello!;
        if (ClientKeyExchange(flight) is not var (cke, preMaster))
        {
            return (null, new ProbeFailure(FailureKind.ProtocolError, "unusable server key exchange parameters or certificate"));
        }

        var keys = Tls12SessionKeys.Derive(preMaster, session.ClientRandom, sh.Random.AsSpan());
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
        byte[] ours =
        [
            .. TlsRecordWriter.Wrap(TlsContentType.Handshake, v, [.. plain]),
            .. TlsRecordWriter.Wrap(TlsContentType.ChangeCipherSpec, v, [1]),
            .. keys.Protect(TlsContentType.Handshake, v, finished),
        ];
        var failure = await session.SendAsync(ours).ConfigureAwait(false);
        ImmutableArray<byte>? ticket = null;
        uint? lifetime = null;
        if (failure is null)
        {
            (failure, ticket, lifetime) = await ReadServerFinishedAsync(session, keys).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            keys.Dispose();
            return (null, failure);
        }

        return (new CompletedTls12Session(keys, clientVerify, ticket, lifetime), null);
    }

    /// <summary>Reads NewSessionTicket (optional), ChangeCipherSpec and an authenticated Finished.</summary>
    private static async Task<(ProbeFailure? Failure, ImmutableArray<byte>? Ticket, uint? Lifetime)> ReadServerFinishedAsync(
        FirstFlightSession session, Tls12SessionKeys keys)
    {
        var sawCcs = false;
        ImmutableArray<byte>? ticket = null;
        uint? lifetime = null;
        for (var i = 0; i < MaxRecordsRead; i++)
        {
            var (reaction, header, fragment) = await session.ReadRawRecordAsync().ConfigureAwait(false);
            if (fragment is null)
            {
                return (new ProbeFailure(reaction == RecordReaction.NoAnswer ? FailureKind.Timeout : FailureKind.ConnectionClosed,
                    "no server Finished: " + reaction), null, null);
            }

            if (!sawCcs)
            {
                switch (header.ContentType)
                {
                    case TlsContentType.ChangeCipherSpec:
                        sawCcs = true;
                        break;
                    case TlsContentType.Alert when HandshakeMessageParser.ParseAlert(fragment) is { IsComplete: true, Value: { } alert }:
                        return (new ProbeFailure(FailureKind.TlsAlert, "handshake not completed: alert " + alert.DescriptionName), null, null);
                    case TlsContentType.Handshake when ParseNewSessionTicket(fragment) is var (hint, t):
                        (lifetime, ticket) = (hint, t);
                        break;
                }

                continue;
            }

            var record = keys.Unprotect(header, fragment);
            return record is { Length: 16 } && record[0] == (byte)TlsHandshakeType.Finished
                ? (null, ticket, lifetime)
                : (new ProbeFailure(FailureKind.ProtocolError, "server Finished did not authenticate"), null, null);
        }

        return (new ProbeFailure(FailureKind.ProtocolError, "no server Finished within " + MaxRecordsRead + " records"), null, null);
    }

    /// <summary>
    /// <code>
    /// struct {                                   RFC 5077 §3.3 (one whole message in one record)
    ///     uint32 ticket_lifetime_hint;
    ///     opaque ticket&lt;0..2^16-1&gt;;
    /// } NewSessionTicket;
    /// </code>
    /// </summary>
    private static (uint Hint, ImmutableArray<byte> Ticket)? ParseNewSessionTicket(ReadOnlySpan<byte> record)
    {
        var r = new TlsSpanReader(record);
        if (!r.TryReadUInt8(out var type) || type != (byte)TlsHandshakeType.NewSessionTicket || !r.TryReadUInt24(out var length)
            || length != record.Length - 4 || !r.TryReadBytes(4, out var hint) || !r.TryReadVector16(out var ticket) || !r.IsEmpty)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(hint), [.. ticket]);
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
