using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>TLS 1.3 after the ServerHello (RFC 8446 §4.3–4.4, §7): the handshake keys, the server's encrypted flight
/// (<see cref="Tls13ServerFlight"/>), our Finished, the application keys.</summary>
internal static partial class EngineTlsClient
{
    private static async Task<EngineTlsSession> Tls13Async(RecordChannel channel, HandshakeMessageBuffer messages, Tls13KeySchedule schedule,
        KeyShareSecret share, ServerHello sh, TlsMessage shMessage, List<byte[]> presented, CancellationToken ct)
    {
        if (sh.KeyShareGroup != share.Group || sh.KeyShareKey is not { } serverShare)
        {
            throw EngineHandshakeException.Protocol("the ServerHello's key share is not in the offered group");
        }

        var shared = share.Agree(serverShare.AsSpan())
            ?? throw EngineHandshakeException.Protocol("the server's key share is not a valid key of its group");
        schedule.AddToTranscript(shMessage.Raw);
        schedule.DeriveHandshakeSecrets(shared);
        CryptographicOperations.ZeroMemory(shared);
        if (messages.HasPartial)
        {
            throw EngineHandshakeException.Protocol("handshake bytes after the ServerHello in the same record (RFC 8446 §5.1)");
        }

        using var serverKeys = Tls13RecordCipher.Create(sh.CipherSuite, schedule.ServerHandshakeTrafficSecret);
        var flight = new Tls13ServerFlight(schedule, presented, MaxCertificates);
        for (var i = 0; !flight.Finished; i++)
        {
            if (i == MaxHandshakeRecords)
            {
                throw EngineHandshakeException.Protocol($"no server Finished within {MaxHandshakeRecords} records");
            }

            var (header, headerBytes, fragment) = await channel.ReadRecordAsync().ConfigureAwait(false);
            switch (header.ContentType)
            {
                case TlsContentType.ChangeCipherSpec when fragment is [1]:
                    continue; // middlebox compatibility (RFC 8446 §D.4); ignored
                case TlsContentType.Alert:
                    throw AlertDuringHandshake(fragment);
                case TlsContentType.ApplicationData:
                    break;
                default:
                    throw EngineHandshakeException.Protocol($"a {header.ContentType} record in the encrypted handshake");
            }

            var (type, plaintext) = serverKeys.Open(headerBytes, fragment)
                ?? throw EngineHandshakeException.Protocol("a handshake record that does not decrypt (bad_record_mac)");
            if (type == TlsContentType.Alert)
            {
                throw AlertDuringHandshake(plaintext);
            }

            if (type != TlsContentType.Handshake)
            {
                throw EngineHandshakeException.Protocol($"a {type} record before the server's Finished");
            }

            messages.Append(plaintext);
            while (!flight.Finished && messages.Next() is { } message)
            {
                flight.Accept(message);
            }
        }

        if (messages.HasPartial)
        {
            throw EngineHandshakeException.Protocol("handshake bytes after the server's Finished in the same record (RFC 8446 §5.1)");
        }

        schedule.DeriveApplicationSecrets();
        using var clientKeys = Tls13RecordCipher.Create(sh.CipherSuite, schedule.ClientHandshakeTrafficSecret);
        var ours = new List<byte>(ChangeCipherSpecRecord);
        if (flight.CertificateRequestContext is { } context)
        {
            // An empty Certificate (RFC 8446 §4.4.2): this client has none; an s2s server may then refuse the stream.
            byte[] empty = [(byte)TlsHandshakeType.Certificate, 0, 0, (byte)(context.Length + 4), (byte)context.Length, .. context, 0, 0, 0];
            schedule.AddToTranscript(empty);
            ours.AddRange(clientKeys.Seal(TlsContentType.Handshake, empty));
        }

        var verify = schedule.FinishedVerifyData(schedule.ClientHandshakeTrafficSecret);
        ours.AddRange(clientKeys.Seal(TlsContentType.Handshake, [(byte)TlsHandshakeType.Finished, 0, 0, (byte)verify.Length, .. verify]));
        await channel.WriteAsync([.. ours]).ConfigureAwait(false);
        var hash = Tls13RecordCipher.HashOf(sh.CipherSuite)!.Value;
        var protection = new Tls13Protection(sh.CipherSuite, hash, schedule.ClientApplicationTrafficSecret, schedule.ServerApplicationTrafficSecret);
        return new EngineTlsSession(new EngineTlsStream(channel, protection), SslProtocols.Tls13,
            (TlsCipherSuite)sh.CipherSuite, flight.Alpn);
    }
}
