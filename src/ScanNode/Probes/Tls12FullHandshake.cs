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

/// <summary>What a full-handshake probe offers: suites this client can finish and ECDHE groups, in offer order.</summary>
internal sealed record Tls12Offer(IReadOnlyList<ushort> Suites, IReadOnlyList<ushort> Groups);

/// <summary>
/// Finishes a TLS 1.2 handshake whose first flight a <see cref="FirstFlightSession"/> has read, with any
/// <see cref="Tls12CipherSpec"/> suite (static RSA, DHE, ECDHE on x25519/secp256r1/384r1/521r1; AES-GCM,
/// ChaCha20-Poly1305, AES/3DES-CBC-HMAC): an empty Certificate if one was requested, ClientKeyExchange,
/// ChangeCipherSpec, Finished; then the server's NewSessionTicket (if any), ChangeCipherSpec and a Finished that
/// must authenticate under the derived keys. .NET's SslStream offers neither client renegotiation nor a view of
/// session resumption, hence this. The certificate and the ServerKeyExchange signature are not verified: nothing
/// secret is ever sent over such a session.
/// </summary>
internal static class Tls12FullHandshake
{
    /// <summary>Every suite this client can finish, in offer order.</summary>
    public static IReadOnlyList<ushort> Suites => Tls12CipherSpec.All;

    /// <summary>Records read while waiting for the server's Finished.</summary>
    private const int MaxRecordsRead = 8;

    /// <summary>Suite names listed in a note at most.</summary>
    private const int MaxNamesInNote = 6;

    /// <summary>
    /// The offer for an endpoint, from the assessment's facts: the suites it found accepted that this client can
    /// finish (in the assessment's order, TLS 1.2 first), and the ECDHE curves it found accepted that this client
    /// can compute. Without facts (no assessment), everything this client can finish. Null, with the reason, when
    /// the assessment found suites but none this client can finish — then no hello can tell anything.
    /// </summary>
    public static Tls12Offer? OfferFor(VulnerabilityProbeContext context, out string? why)
    {
        why = null;
        var groups = context.EcdheGroups is { Count: > 0 } measured
            ? [.. measured.Where(Tls12KeyExchange.Groups.Contains)]
            : Tls12KeyExchange.Groups;
        IEnumerable<ushort> candidates = context.Suites is { Count: > 0 } accepted ? accepted : Suites;
        var suites = candidates.Where(c => Tls12CipherSpec.Find(c) is { } spec && (spec.KeyExchange != KeyExchange.Ecdhe || groups.Count > 0))
            .Distinct().ToList();
        if (suites.Count > 0)
        {
            return new Tls12Offer(suites, groups.Count > 0 ? groups : Tls12KeyExchange.Groups);
        }

        var names = context.Suites!.Take(MaxNamesInNote).Select(CipherSuiteRegistry.NameOf);
        why = "no accepted suite this client can finish a TLS 1.2 handshake with (it does RSA, DHE and ECDHE on x25519/P-256/P-384/P-521 "
            + "with AES-GCM, ChaCha20-Poly1305, AES- or 3DES-CBC; accepted: " + string.Join(", ", names)
            + (context.Suites!.Count > MaxNamesInNote ? ", …)" : ")");
        return null;
    }

    /// <summary>
    /// A TLS 1.2 ClientHello offering <paramref name="offer"/>, without extended_master_secret, encrypt_then_mac,
    /// heartbeat or status_request (not implemented here). renegotiation_info carries
    /// <paramref name="clientVerifyData"/> on a renegotiation (RFC 5746 §3.5); session_ticket carries
    /// <paramref name="ticket"/> when resuming (RFC 5077 §3.1) and is empty otherwise.
    /// </summary>
    public static ClientHelloProfile Hello(string? serverName, Tls12Offer offer, byte[]? clientVerifyData = null, ImmutableArray<byte>? ticket = null)
    {
        var hello = ClientHelloProfiles.Tls(TlsVersion.Tls12, offer.Suites, serverName);
        var renegotiationInfo = ClientHelloExtension.Create(TlsExtensionType.RenegotiationInfo, w => w.WriteVector(1, clientVerifyData ?? []));
        var extensions = hello.Extensions
            .Where(e => e.Type is not (TlsExtensionType.ExtendedMasterSecret or TlsExtensionType.EncryptThenMac
                or TlsExtensionType.Heartbeat or TlsExtensionType.StatusRequest))
            .Select(e => e.Type switch
            {
                TlsExtensionType.RenegotiationInfo => renegotiationInfo,
                TlsExtensionType.SupportedGroups => ClientHelloExtension.SupportedGroups(offer.Groups),
                TlsExtensionType.EcPointFormats => ClientHelloExtension.EcPointFormats(0),
                TlsExtensionType.SessionTicket when ticket is { } t => new ClientHelloExtension(TlsExtensionType.SessionTicket, t),
                _ => e,
            });
        return hello with { Extensions = [.. extensions] };
    }

    /// <summary>True when the first flight can be finished by this client (TLS 1.2, a suite it knows, nothing unasked).</summary>
    public static bool CanComplete(HandshakeResult flight) =>
        flight is { Outcome: HandshakeOutcome.ServerHello, SawServerHelloDone: true, ServerHello: { } sh }
        && sh.NegotiatedVersion == (ushort)TlsVersion.Tls12 && Tls12CipherSpec.Find(sh.CipherSuite) is not null
        && !sh.EncryptThenMac;

    /// <summary>Sends our flight and reads the server's; the session, or why not.</summary>
    public static async Task<(CompletedTls12Session? Session, ProbeFailure? Failure)> CompleteAsync(ITls12Flight session, HandshakeResult flight)
    {
        if (!CanComplete(flight))
        {
            return (null, new ProbeFailure(FailureKind.ProtocolError, "server chose parameters that were not offered"));
        }

        var sh = flight.ServerHello!;
        var spec = Tls12CipherSpec.Find(sh.CipherSuite)!;
        if (Tls12KeyExchange.Create(spec, flight) is not var (cke, preMaster))
        {
            return (null, new ProbeFailure(FailureKind.ProtocolError, "unusable server key exchange parameters or certificate"));
        }

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
        // RFC 7627 §4: with extended_master_secret the master secret covers the handshake up to ClientKeyExchange.
        // Only the session engine offers it (its hello is a default client's); the probes' hellos leave it out.
        var keys = sh.ExtendedMasterSecret
            ? Tls12SessionKeys.DeriveExtended(spec, preMaster, [.. session.Transcript])
            : Tls12SessionKeys.Derive(spec, preMaster, session.ClientRandom, sh.Random.AsSpan());
        CryptographicOperations.ZeroMemory(preMaster);
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
        ITls12Flight session, Tls12SessionKeys keys)
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
}
