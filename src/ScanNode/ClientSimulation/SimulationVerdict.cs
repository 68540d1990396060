using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.ClientSimulation;

/// <summary>
/// The pure part of the simulation: from what the client offered and what the server answered, the facts a
/// report shows. A server choice the client never offered (suite, version, curve) is a failure: the real
/// client aborts the handshake there (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3, RFC 8422 §5.4). So is a DHE prime
/// below the client's minimum (OpenSSL at security level 2: "dh key too small").
/// </summary>
public static class SimulationVerdict
{
    public static ClientSimulationFacts Describe(string profileId, RecordedHello offered, HandshakeResult result, ClientLimits? limits = null)
    {
        return result.Outcome switch
        {
            HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest when result.ServerHello is { } hello =>
                Negotiated(profileId, offered, hello, result, limits ?? new ClientLimits()),
            HandshakeOutcome.Alert => new ClientSimulationFacts(profileId, SimulationOutcome.HandshakeFailed)
            {
                Alert = result.Alert?.DescriptionName,
                Reason = "server sent " + result.Alert,
            },
            HandshakeOutcome.Failed when result.Failure is { } f => new ClientSimulationFacts(profileId, Classify(f.Kind))
            {
                Alert = result.Alert?.DescriptionName,
                Reason = f.Words(),
            },
            _ => new ClientSimulationFacts(profileId, SimulationOutcome.Inconclusive) { Reason = "unexpected answer " + result.Outcome },
        };
    }

    private static ClientSimulationFacts Negotiated(string profileId, RecordedHello offered, ServerHello hello, HandshakeResult result, ClientLimits limits)
    {
        var version = (TlsVersion)hello.NegotiatedVersion;
        var suite = hello.CipherSuite;
        var facts = new ClientSimulationFacts(profileId, SimulationOutcome.Negotiated)
        {
            Protocol = version,
            CipherSuite = suite,
            CipherSuiteName = CipherSuiteRegistry.NameOf(suite),
            HelloRetry = hello.IsHelloRetryRequest,
        };

        if (!offered.Profile.CipherSuites.Contains(suite))
        {
            return Refused(facts, $"server chose {facts.CipherSuiteName}, which the client did not offer");
        }

        if (!offered.Offers(version))
        {
            return Refused(facts, $"server chose {version.Name()}, which the client did not offer");
        }

        if (version == TlsVersion.Tls13)
        {
            if (hello.KeyShareGroup is not { } group)
            {
                return Refused(facts, "TLS 1.3 ServerHello without key_share");
            }

            facts = WithGroup(facts, group) with { KeyExchange = KeyExchangeOf(group) };
            return offered.SupportedGroups.Contains(group) ? facts : Refused(facts, $"server chose group {facts.GroupName}, which the client did not offer");
        }

        facts = facts with { KeyExchange = CipherSuiteRegistry.Find(suite)?.KeyExchange };
        if (result.ServerKeyExchange is { } ske)
        {
            if (ske.NamedCurve is { } curve)
            {
                facts = WithGroup(facts, curve);
                // RFC 8422 §5.1.1: without supported_groups the server may pick any curve; with it, only a listed one.
                if (!offered.SupportedGroups.IsEmpty && !offered.SupportedGroups.Contains(curve))
                {
                    return Refused(facts, $"server chose curve {facts.GroupName}, which the client did not offer");
                }
            }

            facts = facts with { DhBits = ske.Kind == ServerKeyExchangeKind.Dhe ? ske.ModulusBits : null };
            if (facts.DhBits < limits.MinDhBits)
            {
                return Refused(facts, $"the client refuses a {facts.DhBits}-bit DH group (minimum {limits.MinDhBits})");
            }

            // RFC 5246 §7.4.1.4.1: a TLS 1.2 server signs with a pair the client listed (when it listed any).
            if (ske.SignatureScheme is { } scheme && !offered.SignatureAlgorithms.IsEmpty && !offered.SignatureAlgorithms.Contains(scheme))
            {
                return Refused(facts, $"server signed with 0x{scheme:X4}, which the client did not offer");
            }

            if (ske.Signature is not null && version < TlsVersion.Tls12 && limits.RefusesMd5Sha1Signatures)
            {
                return Refused(facts, "the client refuses the MD5+SHA-1 signature of a TLS 1.0/1.1 key exchange");
            }
        }

        if (result.Alert is { } alert)
        {
            return Refused(facts with { Alert = alert.DescriptionName }, "server sent " + alert + " after its ServerHello");
        }

        return facts;
    }

    private static ClientSimulationFacts WithGroup(ClientSimulationFacts facts, ushort group) =>
        facts with { Group = group, GroupName = NamedGroups.NameOf(group) };

    private static KeyExchange KeyExchangeOf(ushort group) =>
        NamedGroups.TryGet(group, out var g)
            ? g.Kind switch
            {
                NamedGroupKind.FiniteField => KeyExchange.Dhe,
                NamedGroupKind.EllipticCurve => KeyExchange.Ecdhe,
                _ => KeyExchange.Any,
            }
            : KeyExchange.Any;

    private static ClientSimulationFacts Refused(ClientSimulationFacts facts, string reason) =>
        facts with { Outcome = SimulationOutcome.HandshakeFailed, Reason = reason };

    private static SimulationOutcome Classify(FailureKind kind) => kind switch
    {
        FailureKind.ConnectionClosed or FailureKind.TlsAlert or FailureKind.TlsHandshakeFailed => SimulationOutcome.HandshakeFailed,
        FailureKind.DnsFailure or FailureKind.Refused or FailureKind.Unreachable or FailureKind.StreamError
            or FailureKind.StartTlsNotOffered or FailureKind.StartTlsRejected or FailureKind.Blocked => SimulationOutcome.NoTls,
        _ => SimulationOutcome.Inconclusive,
    };
}
