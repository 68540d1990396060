namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The configuration line that fixes a grading rule's finding on the two common XMPP servers. The scan does not
/// identify the server software (XMPP streams do not announce it), so both are given; a rule without a
/// configuration fix (a certificate to replace, a library to upgrade) says what to do in words.
/// </summary>
internal static class FixAdvice
{
    /// <summary>(Prosody, ejabberd) lines, or null when no configuration line fixes it.</summary>
    public static (string Prosody, string Ejabberd)? For(string rule) => rule switch
    {
        // Prosody mod_tls / ejabberd listener options (docs: prosody.im/doc/configure, docs.ejabberd.im listen-options).
        "starttls_optional" or "starttls_not_offered" or "cleartext_auth_before_tls" =>
            ("c2s_require_encryption = true", "starttls_required: true   # in the ejabberd_c2s listener"),
        "s2s_auth_before_tls" => ("s2s_require_encryption = true", "s2s_use_starttls: required"),
        "ssl2" or "ssl3_supported" or "ssl3_best_protocol" or "tls10_tls11" or "poodle" =>
            ("ssl = { protocol = \"tlsv1_2+\" }", "protocol_options: [\"no_sslv3\", \"no_tlsv1\", \"no_tlsv1_1\"]"),
        "rc4" or "rc4_only" or "rc4_with_modern_tls" or "weak_suite_bits" or "null_or_anonymous_suites" or "export_suites"
            or "no_forward_secrecy" or "no_aead" or "block64_with_modern_tls" =>
            ("ssl = { ciphers = \"ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL\" }", "ciphers: \"ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL\""),
        "dh_params_weak" => ("ssl = { dhparam = \"/etc/prosody/certs/dh-2048.pem\" }", "dhfile: \"/etc/ejabberd/dh2048.pem\""),
        "incomplete_chain" => ("certificate = \"/etc/prosody/certs/fullchain.pem\"   -- the leaf and its intermediates",
            "certfiles: [\"/etc/ejabberd/fullchain.pem\"]   # the leaf and its intermediates"),
        _ => null,
    };

    /// <summary>What to do when no configuration line does it.</summary>
    public static string? Words(string rule) => rule switch
    {
        "untrusted" or "sha1_in_chain" or "md5_signature" or "rsa_key_insecure" or "rsa_key_weak" =>
            "replace the certificate: one from a public CA (e.g. Let's Encrypt), RSA 2048 bits or more, SHA-256",
        "name_mismatch" => "get a certificate that names the XMPP domain (DNS-ID or SRV-ID, RFC 7712)",
        "no_tls13" or "no_tls12" => "upgrade the TLS library (OpenSSL 1.1.1 or later) and the server",
        "heartbleed" or "ccs_injection" or "insecure_renegotiation" or "no_secure_renegotiation" or "tls_compression" or "no_fallback_scsv" =>
            "upgrade OpenSSL and restart the server",
        _ => null,
    };
}
