using System.Collections.Immutable;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>A TLS ≤ 1.2 Certificate message: the chain as DER blobs, leaf first (as sent).</summary>
public sealed record CertificateMessage(ImmutableArray<ImmutableArray<byte>> Certificates);

/// <summary>A CertificateStatus message (RFC 6066 §8, RFC 6961 §2.2).</summary>
/// <param name="StatusType">1 = ocsp, 2 = ocsp_multi.</param>
/// <param name="Responses">The DER OCSPResponse(s); ocsp_multi entries may be empty.</param>
public sealed record CertificateStatusMessage(byte StatusType, ImmutableArray<ImmutableArray<byte>> Responses);

/// <summary>An alert (RFC 5246 §7.2).</summary>
public sealed record TlsAlert(TlsAlertLevel Level, TlsAlertDescription Description)
{
    /// <summary>The RFC name, e.g. <c>handshake_failure</c>; <c>unknown(N)</c> for unregistered values.</summary>
    public string DescriptionName => NameOf(Description);

    public bool IsFatal => Level == TlsAlertLevel.Fatal;

    /// <summary>snake_case RFC name of an alert description.</summary>
    public static string NameOf(TlsAlertDescription d)
    {
        if (!Enum.IsDefined(d))
        {
            return $"unknown({(byte)d})";
        }

        var name = d.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    public override string ToString() => $"{Level.ToString().ToLowerInvariant()} {DescriptionName}";
}

/// <summary>
/// Parsers for the small server messages of a TLS ≤ 1.2 first flight, and for alerts.
/// </summary>
public static class HandshakeMessageParser
{
    /// <summary>
    /// <code>
    /// opaque ASN.1Cert&lt;1..2^24-1&gt;;                       RFC 5246 §7.4.2
    /// struct { ASN.1Cert certificate_list&lt;0..2^24-1&gt;; } Certificate;
    /// </code>
    /// </summary>
    public static ParseResult<CertificateMessage> ParseCertificate(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadVector24(out var list) || !r.IsEmpty)
        {
            return ParseResult<CertificateMessage>.Fail("bad certificate_list");
        }

        var certs = ImmutableArray.CreateBuilder<ImmutableArray<byte>>();
        var lr = new TlsSpanReader(list);
        while (!lr.IsEmpty)
        {
            if (!lr.TryReadVector24(out var cert) || cert.IsEmpty)
            {
                return ParseResult<CertificateMessage>.Fail("bad ASN.1Cert");
            }

            certs.Add([.. cert]);
        }

        return ParseResult<CertificateMessage>.Ok(new CertificateMessage(certs.ToImmutable()));
    }

    /// <summary>
    /// <code>
    /// struct {                                                 RFC 6066 §8 / RFC 6961 §2.2
    ///     CertificateStatusType status_type;                   1 = ocsp, 2 = ocsp_multi
    ///     select (status_type) {
    ///         case ocsp: OCSPResponse response;                opaque &lt;1..2^24-1&gt;
    ///         case ocsp_multi: OCSPResponse ocsp_response_list&lt;1..2^24-1&gt;;  entries &lt;0..2^24-1&gt;
    ///     };
    /// } CertificateStatus;
    /// </code>
    /// </summary>
    public static ParseResult<CertificateStatusMessage> ParseCertificateStatus(ReadOnlySpan<byte> body)
    {
        var r = new TlsSpanReader(body);
        if (!r.TryReadUInt8(out var type) || !r.TryReadVector24(out var data) || !r.IsEmpty)
        {
            return ParseResult<CertificateStatusMessage>.Fail("bad CertificateStatus");
        }

        switch (type)
        {
            case 1:
                if (data.IsEmpty)
                {
                    return ParseResult<CertificateStatusMessage>.Fail("empty OCSP response");
                }

                return ParseResult<CertificateStatusMessage>.Ok(new CertificateStatusMessage(type, [[.. data]]));
            case 2:
                var list = ImmutableArray.CreateBuilder<ImmutableArray<byte>>();
                var lr = new TlsSpanReader(data);
                while (!lr.IsEmpty)
                {
                    if (!lr.TryReadVector24(out var one))
                    {
                        return ParseResult<CertificateStatusMessage>.Fail("bad ocsp_response_list");
                    }

                    list.Add([.. one]);
                }

                return ParseResult<CertificateStatusMessage>.Ok(new CertificateStatusMessage(type, list.ToImmutable()));
            default:
                return ParseResult<CertificateStatusMessage>.Fail($"unknown status_type {type}");
        }
    }

    /// <summary><c>struct { } ServerHelloDone;</c> (RFC 5246 §7.4.5): the body must be empty.</summary>
    public static ParseStatus ParseServerHelloDone(ReadOnlySpan<byte> body) =>
        body.IsEmpty ? ParseStatus.Complete : ParseStatus.Invalid;

    /// <summary>
    /// <code>struct { AlertLevel level; AlertDescription description; } Alert;   RFC 5246 §7.2</code>
    /// One alert record should carry exactly one alert; an odd or empty payload is invalid.
    /// </summary>
    public static ParseResult<TlsAlert> ParseAlert(ReadOnlySpan<byte> payload)
    {
        var r = new TlsSpanReader(payload);
        if (!r.TryReadUInt8(out var level) || !r.TryReadUInt8(out var description))
        {
            return ParseResult<TlsAlert>.Fail("alert shorter than 2 bytes");
        }

        if (level is not (1 or 2))
        {
            return ParseResult<TlsAlert>.Fail($"alert level {level}");
        }

        return ParseResult<TlsAlert>.Ok(new TlsAlert((TlsAlertLevel)level, (TlsAlertDescription)description));
    }
}
