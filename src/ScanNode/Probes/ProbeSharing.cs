namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// How far a probe's result reaches (issue 14): which endpoints of one verified TLS service — endpoints whose assessment
/// is one full assessment, the others' verification hellos answered alike (<c>AssessmentShares</c>) — may take one
/// endpoint's result instead of running the probe again. Every probe declares it where it is defined
/// (<see cref="IVulnerabilityCheck.Sharing"/>, <c>ClientSimulator.Sharing</c>) with the reason: a result reaches only as far
/// as the probe's outcome is a property of what the endpoints share. Whatever a probe says, nothing is shared with an
/// endpoint whose verification differed, or without sharing (<c>--no-sharing</c>).
/// </summary>
public enum ProbeSharing
{
    /// <summary>Never shared: the outcome depends on state or settings of this endpoint that no verification hello shows.</summary>
    Endpoint,

    /// <summary>Shared with the service's endpoints on the same address and port — the other domains of one listening
    /// socket: the outcome depends on options servers set per listener (OpenSSL's <c>SSL_OP_*</c>, which Prosody's
    /// <c>ssl.options</c> and ejabberd's <c>protocol_options</c> set per port) that no verification hello shows.</summary>
    Listener,

    /// <summary>Shared with the service's endpoints on the same address and port that present the same certificates (every
    /// leaf the endpoint's handshakes received): the probe works with the server's key, and after the server's whole first
    /// flight, which may differ per listener in what no verification hello shows (a CertificateRequest: Prosody asks for
    /// client certificates on its s2s ports).</summary>
    ListenerAndCertificate,

    /// <summary>Shared with every endpoint of the service: the outcome is the TLS implementation's answer to hellos of
    /// the shared assessment, which the verification showed the endpoints answer alike.</summary>
    Service,
}
