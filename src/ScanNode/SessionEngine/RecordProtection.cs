using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>The application-data keys of an established session, both directions.</summary>
internal interface IRecordProtection : IDisposable
{
    /// <summary>One whole protected record.</summary>
    byte[] Seal(TlsContentType type, ReadOnlySpan<byte> plaintext);

    /// <summary>The content type and plaintext of one record, or null when it does not authenticate.</summary>
    (TlsContentType Type, byte[] Plaintext)? Open(TlsRecordHeader header, byte[] headerBytes, byte[] fragment);

    /// <summary>A handshake message after the handshake; returns records to send in answer, if any.</summary>
    byte[]? AfterHandshake(TlsMessage message);
}

/// <summary>TLS 1.3 application traffic keys, with KeyUpdate (RFC 8446 §4.6.3); NewSessionTicket is ignored (no
/// resumption, §4.6.1).</summary>
internal sealed class Tls13Protection(ushort suite, HashAlgorithmName hash, byte[] clientSecret, byte[] serverSecret) : IRecordProtection
{
    private Tls13RecordCipher _write = Tls13RecordCipher.Create(suite, clientSecret);
    private Tls13RecordCipher _read = Tls13RecordCipher.Create(suite, serverSecret);
    private byte[] _clientSecret = clientSecret;
    private byte[] _serverSecret = serverSecret;

    public byte[] Seal(TlsContentType type, ReadOnlySpan<byte> plaintext) => _write.Seal(type, plaintext);

    public (TlsContentType Type, byte[] Plaintext)? Open(TlsRecordHeader header, byte[] headerBytes, byte[] fragment) =>
        header.ContentType == TlsContentType.ApplicationData ? _read.Open(headerBytes, fragment) : null;

    public byte[]? AfterHandshake(TlsMessage message)
    {
        if (message.HandshakeType != TlsHandshakeType.KeyUpdate)
        {
            return null;
        }

        // enum { update_not_requested(0), update_requested(1) } KeyUpdateRequest;
        if (message.Body is not [var request and (0 or 1)])
        {
            throw new IOException("malformed KeyUpdate");
        }

        _serverSecret = Tls13KeySchedule.NextTrafficSecret(hash, _serverSecret);
        _read.Dispose();
        _read = Tls13RecordCipher.Create(suite, _serverSecret);
        if (request == 0)
        {
            return null;
        }

        var answer = _write.Seal(TlsContentType.Handshake, [(byte)TlsHandshakeType.KeyUpdate, 0, 0, 1, 0]);
        _clientSecret = Tls13KeySchedule.NextTrafficSecret(hash, _clientSecret);
        _write.Dispose();
        _write = Tls13RecordCipher.Create(suite, _clientSecret);
        return answer;
    }

    public void Dispose()
    {
        _write.Dispose();
        _read.Dispose();
        CryptographicOperations.ZeroMemory(_clientSecret);
        CryptographicOperations.ZeroMemory(_serverSecret);
    }
}

/// <summary>TLS 1.2 session keys; a HelloRequest is ignored (RFC 5246 §7.4.1.1 allows it; this client never renegotiates).</summary>
internal sealed class Tls12Protection(CompletedTls12Session session) : IRecordProtection
{
    public byte[] Seal(TlsContentType type, ReadOnlySpan<byte> plaintext) => session.Keys.Protect(type, 0x0303, plaintext);

    public (TlsContentType Type, byte[] Plaintext)? Open(TlsRecordHeader header, byte[] headerBytes, byte[] fragment) =>
        session.Keys.Unprotect(header, fragment) is { } plaintext ? (header.ContentType, plaintext) : null;

    public byte[]? AfterHandshake(TlsMessage message) => null;

    public void Dispose() => session.Dispose();
}
