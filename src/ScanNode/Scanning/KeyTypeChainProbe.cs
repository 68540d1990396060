using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>One TLS ≤ 1.2 hello offering only one key type's suites, as received (no judgement yet).</summary>
/// <param name="KeyType">"ECDSA" or "RSA".</param>
/// <param name="Outcome">Served, not served, no TLS ≤ 1.2, failed.</param>
/// <param name="Version">Negotiated version (0x0303 …) when served.</param>
/// <param name="CipherSuite">Chosen suite when served.</param>
/// <param name="Chain">The Certificate message as sent (plaintext in TLS ≤ 1.2), leaf first.</param>
/// <param name="StapleRequested">status_request was offered (always, on these hellos).</param>
/// <param name="Staple">The first OCSPResponse of a CertificateStatus message, if the server sent one.</param>
/// <param name="Failure">Alert or failure text when not served.</param>
public sealed record KeyTypeHandshake(
    string KeyType,
    KeyTypeOutcome Outcome,
    ushort Version,
    ushort? CipherSuite,
    IReadOnlyList<byte[]> Chain,
    bool StapleRequested,
    byte[]? Staple,
    string? Failure);

/// <summary>
/// Finds which chain a server sends for which key type, and captures the plaintext Certificate and
/// CertificateStatus (OCSP staple) messages of TLS ≤ 1.2 through the raw wire engine (<see cref="HandshakeProbe"/>):
/// a TLS 1.2 ClientHello with status_request offering only ECDSA-authenticated suites, then one offering only
/// RSA-authenticated suites, and the leaves compared.
/// <para>The rule (at most two extra connections per endpoint, only when useful):</para>
/// <list type="number">
/// <item>None when the session never reached the TLS handshake (no STARTTLS, refused, stream error): there is no TLS to look at.</item>
/// <item>ECDSA first. If the server answers protocol_version it speaks no TLS ≤ 1.2 — a TLS-1.3-only server — so the RSA
/// hello would be refused the same way and is skipped (its chain is the session's; TLS 1.3 staples are encrypted).
/// If the connection itself fails (refused, unreachable, XMPP refused STARTTLS, silence), the RSA hello is skipped too:
/// the server is not answering. A server that just closes the connection on the ECDSA hello still gets the RSA one.</item>
/// <item>Otherwise RSA. Both are needed: a dual-certificate server differs exactly there, and the RSA chain is the
/// only plaintext one most servers have.</item>
/// </list>
/// Only the server's first flight is read (to ServerHelloDone); the connection is then closed.
/// </summary>
public sealed class KeyTypeChainProbe(ScanLimits limits)
{
    /// <summary>ECDHE-ECDSA suites (AEAD first, then CBC), and the TLS 1.2 ECDH-ECDSA ones OpenSSL no longer has.</summary>
    public static ImmutableArray<ushort> EcdsaSuites { get; } =
        [0xC02B, 0xC02C, 0xCCA9, 0xC0AC, 0xC0AD, 0xC023, 0xC024, 0xC009, 0xC00A, 0xC008, 0xC007];

    /// <summary>RSA-authenticated suites: ECDHE-RSA, DHE-RSA, then RSA key transport.</summary>
    public static ImmutableArray<ushort> RsaSuites { get; } =
    [
        0xC02F, 0xC030, 0xCCA8, 0xC027, 0xC028, 0xC013, 0xC014, 0xC012,
        0x009E, 0x009F, 0xCCAA, 0x0067, 0x006B, 0x0033, 0x0039, 0x0016,
        0x009C, 0x009D, 0x003C, 0x003D, 0x002F, 0x0035, 0x000A, 0x0005,
    ];

    /// <summary>Runs the rule over <paramref name="connections"/> (one fresh connection per hello). With
    /// <paramref name="ecdsaAccepted"/> = false — the TLS assessment found no ECDSA-authenticated suite at TLS ≤ 1.2 —
    /// the ECDSA hello cannot reveal another chain and is not sent (one connection saved).</summary>
    public async Task<IReadOnlyList<KeyTypeHandshake>> RunAsync(ITlsConnectionFactory connections, string? serverName, CancellationToken cancellationToken,
        bool? ecdsaAccepted = null)
    {
        var probe = new HandshakeProbe(connections, limits);
        if (ecdsaAccepted == false)
        {
            var skipped = new KeyTypeHandshake("ECDSA", KeyTypeOutcome.Skipped, 0, null, [], false, null,
                "not tried: the assessment found no ECDSA-authenticated suite");
            var (rsaOnly, _) = await TryAsync(probe, "RSA", RsaSuites, serverName, cancellationToken).ConfigureAwait(false);
            return [skipped, rsaOnly];
        }

        var (ecdsa, unreachable) = await TryAsync(probe, "ECDSA", EcdsaSuites, serverName, cancellationToken).ConfigureAwait(false);
        if (ecdsa.Outcome == KeyTypeOutcome.NoTls12 || unreachable)
        {
            var why = ecdsa.Outcome == KeyTypeOutcome.NoTls12 ? "the server speaks no TLS ≤ 1.2" : "the ECDSA attempt failed";
            return [ecdsa, new KeyTypeHandshake("RSA", KeyTypeOutcome.Skipped, 0, null, [], false, null, $"not tried: {why}")];
        }

        var (rsa, _) = await TryAsync(probe, "RSA", RsaSuites, serverName, cancellationToken).ConfigureAwait(false);
        return [ecdsa, rsa];
    }

    private static async Task<(KeyTypeHandshake Handshake, bool Unreachable)> TryAsync(HandshakeProbe probe, string keyType, ImmutableArray<ushort> suites,
        string? serverName, CancellationToken cancellationToken)
    {
        var result = await probe.RunAsync(ClientHelloProfiles.Tls(TlsVersion.Tls12, suites, serverName), cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var unreachable = result.Outcome == HandshakeOutcome.Failed && result.Failure?.Kind is FailureKind.Refused
            or FailureKind.Unreachable or FailureKind.DnsFailure or FailureKind.StreamError or FailureKind.StartTlsNotOffered
            or FailureKind.StartTlsRejected or FailureKind.Blocked or FailureKind.Timeout;
        return (Classify(keyType, result), unreachable);
    }

    private static KeyTypeHandshake Classify(string keyType, HandshakeResult result)
    {
        switch (result.Outcome)
        {
            case HandshakeOutcome.ServerHello when result.Certificates.Length > 0:
                var staple = result.CertificateStatus is { Responses: [var first, ..] } && first.Length > 0 ? first.ToArray() : null;
                return new KeyTypeHandshake(keyType, KeyTypeOutcome.Served, result.NegotiatedVersion, result.CipherSuite,
                    result.Certificates.Select(c => c.ToArray()).ToList(), true, staple, result.Failure?.ToString());
            case HandshakeOutcome.ServerHello:
                return new KeyTypeHandshake(keyType, KeyTypeOutcome.Failed, result.NegotiatedVersion, result.CipherSuite, [], true, null,
                    result.Failure?.ToString() ?? "ServerHello without a Certificate message");
            case HandshakeOutcome.Alert when result.Alert is { Description: TlsAlertDescription.ProtocolVersion }:
                return new KeyTypeHandshake(keyType, KeyTypeOutcome.NoTls12, 0, null, [], true, null, "alert " + result.Alert);
            case HandshakeOutcome.Alert:
                return new KeyTypeHandshake(keyType, KeyTypeOutcome.NotServed, 0, null, [], true, null, "alert " + result.Alert);
            default:
                return new KeyTypeHandshake(keyType, KeyTypeOutcome.Failed, 0, null, [], true, null,
                    result.Failure?.ToString() ?? result.Outcome.ToString());
        }
    }
}
