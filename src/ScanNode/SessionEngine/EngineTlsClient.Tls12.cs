using System.Net.Security;
using System.Security.Authentication;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>TLS 1.2 after the ServerHello: the server's first flight, its ServerKeyExchange signature, then
/// <see cref="Tls12FullHandshake"/> for ClientKeyExchange, Finished and the record keys.</summary>
internal static partial class EngineTlsClient
{
    private static async Task<EngineTlsSession> Tls12Async(RecordChannel channel, HandshakeMessageBuffer messages, ServerHello sh,
        TlsMessage shMessage, List<byte[]> presented)
    {
        if (Tls12CipherSpec.Find(sh.CipherSuite) is not { KeyExchange: KeyExchange.Ecdhe } || !SessionHello.Suites.Contains(sh.CipherSuite))
        {
            throw EngineHandshakeException.Protocol($"the server chose suite 0x{sh.CipherSuite:X4}, which was not offered");
        }

        var flight = new ServerFlight();
        channel.AddToTranscript(shMessage.Raw);
        flight.Accept(shMessage);
        byte[]? skeBody = null;
        for (var i = 0; ; i++)
        {
            if (i == MaxHandshakeRecords)
            {
                throw EngineHandshakeException.Protocol($"no ServerHelloDone within {MaxHandshakeRecords} messages");
            }

            var message = await NextPlainMessageAsync(channel, messages).ConfigureAwait(false);
            if (message.HandshakeType == TlsHandshakeType.HelloRequest)
            {
                continue; // not part of the transcript (RFC 5246 §7.4.1.1)
            }

            channel.AddToTranscript(message.Raw);
            if (message.HandshakeType == TlsHandshakeType.ServerKeyExchange)
            {
                skeBody = message.Body.ToArray();
            }

            if (flight.Accept(message))
            {
                break;
            }
        }

        var result = flight.Result;
        presented.AddRange(result.Certificates.Select(c => c.ToArray()).Take(MaxCertificates));
        if (result.Failure is { } failure)
        {
            throw new EngineHandshakeException(failure);
        }

        if (!result.SawServerHelloDone || result.ServerKeyExchange is not { NamedCurve: { } curve } ske || skeBody is null)
        {
            throw EngineHandshakeException.Protocol("an ECDHE suite without a ServerKeyExchange");
        }

        if (!Tls12KeyExchange.Groups.Contains(curve))
        {
            throw EngineHandshakeException.Unsupported($"the server chose curve 0x{curve:X4}");
        }

        if (presented.Count == 0 || ske.SignatureScheme is not { } scheme || ske.Signature is not { } signature)
        {
            throw EngineHandshakeException.Protocol("an ECDHE_RSA/ECDSA suite without a certificate or a signature");
        }

        // signed: ClientHello.random + ServerHello.random + ServerECDHParams (RFC 8422 §5.4); the params are the body
        // without the trailing signature: scheme(2) + signature<0..2^16-1>.
        var parameters = skeBody.AsSpan(0, skeBody.Length - 4 - signature.Length);
        byte[] content = [.. channel.ClientRandom, .. sh.Random, .. parameters];
        if (!HandshakeSignature.Verify(scheme, presented[0], content, signature.AsSpan(), tls13: false))
        {
            throw EngineHandshakeException.Protocol("the ServerKeyExchange signature does not verify with the leaf's key");
        }

        var (session, finishFailure) = await Tls12FullHandshake.CompleteAsync(channel, result).ConfigureAwait(false);
        channel.ReleaseTranscript();
        if (session is null)
        {
            throw new EngineHandshakeException(finishFailure ?? new ProbeFailure(FailureKind.TlsHandshakeFailed, "no session"));
        }

        return new EngineTlsSession(new EngineTlsStream(channel, new Tls12Protection(session)), SslProtocols.Tls12,
            (TlsCipherSuite)sh.CipherSuite, sh.AlpnProtocol);
    }
}
