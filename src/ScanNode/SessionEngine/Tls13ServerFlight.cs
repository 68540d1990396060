using System.Security.Cryptography;
using System.Text;
using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// The server's encrypted TLS 1.3 flight, message by message (RFC 8446 §4.3–4.4): EncryptedExtensions,
/// CertificateRequest (optional), Certificate, CertificateVerify, Finished — in that order, each added to the
/// transcript after it is checked against the transcript before it. No I/O.
/// </summary>
internal sealed class Tls13ServerFlight(Tls13KeySchedule schedule, List<byte[]> presented, int maxCertificates)
{
    private TlsHandshakeType _expected = TlsHandshakeType.EncryptedExtensions;

    public bool Finished { get; private set; }

    /// <summary>The ALPN protocol from EncryptedExtensions (RFC 7301 §3.1), if any.</summary>
    public string? Alpn { get; private set; }

    /// <summary>certificate_request_context when the server asked for a client certificate (RFC 8446 §4.3.2).</summary>
    public byte[]? CertificateRequestContext { get; private set; }

    /// <exception cref="EngineHandshakeException">A message out of order, malformed, or that does not verify.</exception>
    public void Accept(TlsMessage message)
    {
        var type = message.HandshakeType!.Value;
        switch (type)
        {
            case TlsHandshakeType.EncryptedExtensions when _expected == TlsHandshakeType.EncryptedExtensions:
                Alpn = ReadAlpn(message.Body);
                _expected = TlsHandshakeType.Certificate;
                break;
            case TlsHandshakeType.CertificateRequest when _expected == TlsHandshakeType.Certificate && CertificateRequestContext is null:
                var r = new TlsSpanReader(message.Body);
                CertificateRequestContext = r.TryReadVector8(out var context) ? context.ToArray() : throw Malformed(type);
                break;
            case TlsHandshakeType.Certificate when _expected == TlsHandshakeType.Certificate:
                ReadCertificates(message.Body);
                _expected = TlsHandshakeType.CertificateVerify;
                break;
            case TlsHandshakeType.CertificateVerify when _expected == TlsHandshakeType.CertificateVerify:
                CheckCertificateVerify(message.Body);
                _expected = TlsHandshakeType.Finished;
                break;
            case TlsHandshakeType.Finished when _expected == TlsHandshakeType.Finished:
                var expected = schedule.FinishedVerifyData(schedule.ServerHandshakeTrafficSecret);
                if (!CryptographicOperations.FixedTimeEquals(expected, message.Body))
                {
                    throw EngineHandshakeException.Protocol("the server's Finished does not verify (decrypt_error)");
                }

                Finished = true;
                break;
            default:
                throw EngineHandshakeException.Protocol($"{type} where {_expected} was expected");
        }

        schedule.AddToTranscript(message.Raw);
    }

    /// <summary>
    /// <code>
    /// struct { Extension extensions&lt;0..2^16-1&gt;; } EncryptedExtensions;             RFC 8446 §4.3.1
    /// opaque ProtocolName&lt;1..2^8-1&gt;; ProtocolName protocol_name_list&lt;2..2^16-1&gt;   RFC 7301 §3.1 (exactly one)
    /// </code>
    /// </summary>
    private static string? ReadAlpn(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadVector16(out var extensions) || !r.IsEmpty)
        {
            throw Malformed(TlsHandshakeType.EncryptedExtensions);
        }

        var e = new TlsSpanReader(extensions);
        string? alpn = null;
        while (!e.IsEmpty)
        {
            if (!e.TryReadUInt16(out var extension) || !e.TryReadVector16(out var data))
            {
                throw Malformed(TlsHandshakeType.EncryptedExtensions);
            }

            if (extension == TlsExtensionType.Alpn)
            {
                var a = new TlsSpanReader(data);
                if (!a.TryReadVector16(out var list) || !new TlsSpanReader(list).TryReadVector8(out var name) || name.Length + 1 != list.Length)
                {
                    throw Malformed(TlsHandshakeType.EncryptedExtensions);
                }

                alpn = Encoding.ASCII.GetString(name);
            }
        }

        return alpn;
    }

    /// <summary>
    /// <code>
    /// struct { opaque certificate_request_context&lt;0..2^8-1&gt;; CertificateEntry certificate_list&lt;0..2^24-1&gt;; } Certificate;
    /// struct { opaque cert_data&lt;1..2^24-1&gt;; Extension extensions&lt;0..2^16-1&gt;; } CertificateEntry;   RFC 8446 §4.4.2
    /// </code>
    /// </summary>
    private void ReadCertificates(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadVector8(out _) || !r.TryReadVector24(out var list) || !r.IsEmpty)
        {
            throw Malformed(TlsHandshakeType.Certificate);
        }

        var entries = new TlsSpanReader(list);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadVector24(out var der) || der.IsEmpty || !entries.TryReadVector16(out _))
            {
                throw Malformed(TlsHandshakeType.Certificate);
            }

            if (presented.Count == maxCertificates)
            {
                throw EngineHandshakeException.Protocol($"more than {maxCertificates} certificates in one Certificate message");
            }

            presented.Add(der.ToArray());
        }

        if (presented.Count == 0)
        {
            throw EngineHandshakeException.Protocol("an empty server Certificate (RFC 8446 §4.4.2.4: decode_error)");
        }
    }

    /// <summary>struct { SignatureScheme algorithm; opaque signature&lt;0..2^16-1&gt;; } CertificateVerify; (RFC 8446 §4.4.3)</summary>
    private void CheckCertificateVerify(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadUInt16(out var scheme) || !r.TryReadVector16(out var signature) || !r.IsEmpty)
        {
            throw Malformed(TlsHandshakeType.CertificateVerify);
        }

        var content = HandshakeSignature.Tls13ServerContent(schedule.TranscriptHash());
        if (!HandshakeSignature.Verify(scheme, presented[0], content, signature, tls13: true))
        {
            throw EngineHandshakeException.Protocol("the server's CertificateVerify does not verify with the leaf's key (decrypt_error)");
        }
    }

    private static EngineHandshakeException Malformed(TlsHandshakeType type) => EngineHandshakeException.Protocol($"malformed {type}");
}
