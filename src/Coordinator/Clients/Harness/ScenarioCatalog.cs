namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>Every scenario <c>xmppscan clients</c> runs, in matrix order; data, not code.</summary>
public static class ScenarioCatalog
{
    /// <summary>A channel-binding-capable server's offer: -PLUS first, as Prosody and ejabberd list them, and PLAIN over TLS. Declared before <see cref="All"/>: static initializers run in text order.</summary>
    private static readonly string[] ChannelBindingOffer = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

    public static readonly IReadOnlyList<Scenario> All =
    [
        new("baseline", "honest server", StartTlsOffer.Required, CertificateKind.Good, Expectation.AuthenticateOverTls)
        { Why = "STARTTLS required, valid certificate: shows the driver works at all." },
        new("starttls-stripped", "STARTTLS stripped", StartTlsOffer.Stripped, CertificateKind.Good, Expectation.Refuse)
        { Why = "The features lack <starttls/>, as after an attacker removed it; a client must not continue in the clear (RFC 7590 §3.1)." },
        new("starttls-failure", "<starttls/> answered <failure/>", StartTlsOffer.Failure, CertificateKind.Good, Expectation.Refuse)
        { Why = "The server fails the negotiation and closes (RFC 6120 §5.4.2.2); a reconnect must not fall back to plaintext." },
        new("starttls-optional", "STARTTLS offered, not required", StartTlsOffer.Optional, CertificateKind.Good, Expectation.AuthenticateOverTls)
        { Why = "A client should negotiate TLS whenever offered (RFC 6120 §5.3.1)." },
        new("cert-expired", "certificate expired", StartTlsOffer.Required, CertificateKind.Expired, Expectation.Refuse),
        new("cert-self-signed", "certificate self-signed", StartTlsOffer.Required, CertificateKind.SelfSigned, Expectation.Refuse),
        new("cert-unknown-ca", "certificate from an unknown CA", StartTlsOffer.Required, CertificateKind.UnknownCa, Expectation.Refuse),
        new("cert-wrong-name", "certificate for another name", StartTlsOffer.Required, CertificateKind.WrongName, Expectation.Refuse),
        new("cert-srv-target", "certificate names the SRV target", StartTlsOffer.Required, CertificateKind.SrvTargetName, Expectation.Refuse)
        { Why = "The SRV target came from unsigned DNS; RFC 6125 §6.2.1 and RFC 6120 §13.7.2.1 make the domain the reference identity." },
        new("cert-srv-id", "certificate with SRV-ID only", StartTlsOffer.Required, CertificateKind.SrvIdOnly, Expectation.AuthenticateOverTls)
        { Why = "An SRV-ID _xmpp-client.domain is a valid identity (RFC 6125 §6.5.1, RFC 7590 §3.2)." },
        new("cert-xmppaddr", "certificate with XmppAddr only", StartTlsOffer.Required, CertificateKind.XmppAddrOnly, Expectation.AuthenticateOverTls)
        { Why = "id-on-xmppAddr is a valid identity for XMPP (RFC 6120 §13.7.1.4)." },
        new("cert-sha1", "certificate signed with SHA-1", StartTlsOffer.Required, CertificateKind.Sha1Signed, Expectation.Refuse)
        { Why = "SHA-1 signatures are forgeable by chosen-prefix collision; RFC 9155 deprecates them in TLS 1.2." },
        new("direct-tls-stripped", "direct TLS available, STARTTLS stripped", StartTlsOffer.Stripped, CertificateKind.Good, Expectation.AuthenticateOverTls)
        { DirectTls = true, Why = "_xmpps-client SRV (XEP-0368) offers TLS on 5223 while 5222 is stripped: a client should use it, never the plaintext port." },
        new("tls10-only", "TLS 1.0 only", StartTlsOffer.Required, CertificateKind.Good, Expectation.Refuse)
        { Tls10Only = true, Why = "RFC 8996 forbids TLS 1.0." },
        new("sasl-plain-only", "SASL downgrade: PLAIN only", StartTlsOffer.Required, CertificateKind.Good, Expectation.Refuse)
        { Mechanisms = ["PLAIN"], Why = "The baseline offers SCRAM-SHA-1; a server (or a MITM holding a valid certificate) that offers only PLAIN receives the password itself. A client that pins SCRAM refuses." },
        new("sasl-cb-downgrade-plain", "channel-binding downgrade: SCRAM-PLUS, then PLAIN only", StartTlsOffer.Required, CertificateKind.Good, Expectation.Refuse)
        {
            Mechanisms = ChannelBindingOffer, SecondVisitMechanisms = ["PLAIN"],
            Why = "The first visit offers SCRAM-SHA-256-PLUS and SCRAM-SHA-1-PLUS (RFC 5802 §6, RFC 7677) and completes a real exchange; the next offers only PLAIN, as a man in the middle with a valid certificate does. A client that bound the channel before should not now hand over the password. A client that never chose -PLUS is not applicable.",
        },
        new("sasl-cb-downgrade-scram", "channel-binding downgrade: SCRAM-PLUS, then SCRAM without -PLUS", StartTlsOffer.Required, CertificateKind.Good, Expectation.Refuse)
        {
            Mechanisms = ChannelBindingOffer, SecondVisitMechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-1"],
            Why = "As above, but the second visit offers SCRAM without -PLUS: a client that refuses, or sends the gs2 flag \"y\" (RFC 5802 §6: the real server then fails the exchange), is not downgraded; \"n\" is a silent downgrade.",
        },
        new("see-other-host", "<see-other-host/> to a plaintext host", StartTlsOffer.Required, CertificateKind.Good, Expectation.Refuse)
        { SeeOtherHost = true, Why = "Redirected by an unauthenticated stream error (RFC 6120 §4.9.3.19) to a host that strips STARTTLS." },
        new("legacy-auth", "stripped, only XEP-0078 iq:auth", StartTlsOffer.Stripped, CertificateKind.Good, Expectation.Refuse)
        { Mechanisms = [], LegacyAuthOnly = true, Why = "No SASL, no TLS: jabber:iq:auth asks for the password in a form field (XEP-0078 is obsolete)." },
    ];

    public static Scenario? Find(string id) => All.FirstOrDefault(s => s.Id == id);
}
