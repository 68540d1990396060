namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>What the hostile server does with <c>&lt;starttls/&gt;</c> on the c2s port (RFC 6120 §5.3).</summary>
public enum StartTlsOffer
{
    /// <summary>Advertised with <c>&lt;required/&gt;</c>: the honest baseline.</summary>
    Required,

    /// <summary>Advertised without <c>&lt;required/&gt;</c>: a client may, and should, still use it.</summary>
    Optional,

    /// <summary>Removed from the features, as an attacker on the path does (the STARTTLS stripping attack).</summary>
    Stripped,

    /// <summary>Advertised, but <c>&lt;starttls/&gt;</c> is answered with <c>&lt;failure/&gt;</c> and the stream closed (RFC 6120 §5.4.2.2).</summary>
    Failure,
}

/// <summary>The certificate the server presents; names are relative to the scenario's domain.</summary>
public enum CertificateKind
{
    /// <summary>DNS-ID = the domain, signed by the trusted harness CA, valid now, SHA-256.</summary>
    Good,
    Expired,
    SelfSigned,
    UnknownCa,
    WrongName,

    /// <summary>DNS-ID = the SRV target host only: RFC 6125 §6.2.1 / RFC 6120 §13.7.2.1 say the reference is the domain, so this must fail.</summary>
    SrvTargetName,

    /// <summary>Only an SRV-ID <c>_xmpp-client.domain</c> (RFC 4985, RFC 6125 §6.5.1): must pass.</summary>
    SrvIdOnly,

    /// <summary>Only an id-on-xmppAddr otherName (RFC 6120 §13.7.1.4): must pass.</summary>
    XmppAddrOnly,

    /// <summary>Right name and CA, but the leaf is signed with sha1WithRSAEncryption (SHA-1 collisions, RFC 9155).</summary>
    Sha1Signed,
}

/// <summary>What a careful client does in a scenario; a verdict is compared with it.</summary>
public enum Expectation
{
    /// <summary>The client must not send credentials at all here (stripped, bad certificate, legacy TLS).</summary>
    Refuse,

    /// <summary>The server is honest: the client must authenticate over TLS (the name forms RFC 6125 allows).</summary>
    AuthenticateOverTls,
}

/// <summary>
/// One hostile (or honest) server behaviour. Each scenario runs on its own loopback address with its own DNS
/// zone, so a client finds it exactly as it would find a real server: SRV, then A.
/// </summary>
/// <param name="Id">Stable id, used in file names, JSON and tests.</param>
/// <param name="Title">One line for the matrix header.</param>
/// <param name="StartTls">What the c2s port does with STARTTLS.</param>
/// <param name="Certificate">The certificate on every TLS port.</param>
/// <param name="Expect">What a careful client does.</param>
public sealed record Scenario(string Id, string Title, StartTlsOffer StartTls, CertificateKind Certificate, Expectation Expect)
{
    /// <summary>Also listen for XEP-0368 direct TLS on 5223, published as <c>_xmpps-client</c> SRV with higher priority.</summary>
    public bool DirectTls { get; init; }

    /// <summary>Serve TLS 1.0 only (RFC 8996 deprecates it: clients must refuse).</summary>
    public bool Tls10Only { get; init; }

    /// <summary>SASL mechanisms offered (RFC 6120 §6.3.3); the harness speaks PLAIN and SCRAM-SHA-1/-256 with and without -PLUS.</summary>
    public IReadOnlyList<string> Mechanisms { get; init; } = ["SCRAM-SHA-1", "PLAIN"];

    /// <summary>
    /// When set, the driver is started twice with the same home directory: the first visit offers
    /// <see cref="Mechanisms"/>, the second these (the channel-binding downgrade: SCRAM-PLUS first, then without it).
    /// </summary>
    public IReadOnlyList<string>? SecondVisitMechanisms { get; init; }

    /// <summary>The mechanisms offered on visit 1 or 2.</summary>
    public IReadOnlyList<string> MechanismsFor(int visit) => visit == 2 && SecondVisitMechanisms is { } second ? second : Mechanisms;

    /// <summary>Answer the first stream with <c>&lt;see-other-host/&gt;</c> naming a second, stripping host (RFC 6120 §4.9.3.19).</summary>
    public bool SeeOtherHost { get; init; }

    /// <summary>Offer only XEP-0078 <c>jabber:iq:auth</c> (no SASL), whose form asks for the password itself.</summary>
    public bool LegacyAuthOnly { get; init; }

    /// <summary>Why this scenario exists and what the standard says, for the matrix page.</summary>
    public string Why { get; init; } = "";
}
