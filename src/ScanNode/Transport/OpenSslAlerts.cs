using System.Globalization;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// Finds a TLS alert the peer sent in the exceptions SslStream throws on Linux. .NET reports a received alert
/// only through OpenSSL's error string, e.g. <c>error:0A000458:SSL routines::tlsv1 unrecognized name</c>.
/// The text varies ("sslv3 alert handshake failure", "tlsv1 unrecognized name"), but the packed code does
/// not: OpenSSL files a received alert under reason <c>SSL_AD_REASON_OFFSET</c> (1000) + the alert
/// description, and the reason is the low 23 bits of the code (0x458 = 1112 = alert 112). The wire-level
/// probes parse alerts themselves; this is only for the SslStream session.
/// </summary>
public static class OpenSslAlerts
{
    private const int ReasonOffset = 1000;
    private const int ReasonMask = 0x7FFFFF;

    /// <summary>RFC 8446 §6.2 (and RFC 5246 §7.2) alert descriptions by code.</summary>
    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "close_notify", [10] = "unexpected_message", [20] = "bad_record_mac", [21] = "decryption_failed",
        [22] = "record_overflow", [30] = "decompression_failure", [40] = "handshake_failure", [41] = "no_certificate",
        [42] = "bad_certificate", [43] = "unsupported_certificate", [44] = "certificate_revoked",
        [45] = "certificate_expired", [46] = "certificate_unknown", [47] = "illegal_parameter", [48] = "unknown_ca",
        [49] = "access_denied", [50] = "decode_error", [51] = "decrypt_error", [60] = "export_restriction",
        [70] = "protocol_version", [71] = "insufficient_security", [80] = "internal_error",
        [86] = "inappropriate_fallback", [90] = "user_canceled", [100] = "no_renegotiation",
        [109] = "missing_extension", [110] = "unsupported_extension", [111] = "certificate_unobtainable",
        [112] = "unrecognized_name", [113] = "bad_certificate_status_response", [114] = "bad_certificate_hash_value",
        [115] = "unknown_psk_identity", [116] = "certificate_required", [120] = "no_application_protocol",
    };

    /// <summary>The alert description the peer sent, if the exception chain carries one.</summary>
    public static int? ReceivedAlert(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SessionEngine.TlsAlertReceivedException received) return received.Description; // the session engine's own
            string m = e.Message;
            for (int at = m.IndexOf("error:", StringComparison.Ordinal); at >= 0; at = m.IndexOf("error:", at + 6, StringComparison.Ordinal))
            {
                int end = m.IndexOf(':', at + 6);
                if (end < 0) break;
                if (!uint.TryParse(m.AsSpan(at + 6, end - at - 6), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint code)) continue;
                int reason = (int)(code & ReasonMask);
                if (reason >= ReasonOffset && reason < ReasonOffset + 256) return reason - ReasonOffset;
            }
        }
        return null;
    }

    /// <summary>"unrecognized_name (112)", or "alert 199" for codes without a name.</summary>
    public static string Describe(int alert) =>
        Names.TryGetValue(alert, out var name) ? $"{name} ({alert})" : $"alert {alert}";
}
