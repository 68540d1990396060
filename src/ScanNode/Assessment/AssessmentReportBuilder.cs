using System.Collections.Immutable;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>Turns a finished <see cref="AssessmentRun"/> into the Shared facts records.</summary>
internal static class AssessmentReportBuilder
{
    public static TlsAssessmentReport Build(AssessmentRun run, Negotiator negotiator, CountingConnectionFactory counter)
    {
        var protocols = new List<ProtocolAssessment> { Ssl2(run, counter) };
        foreach (var version in (TlsVersion[])[TlsVersion.Ssl3, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13])
        {
            protocols.Add(run.Versions.TryGetValue(version, out var v)
                ? Protocol(version, v)
                : new ProtocolAssessment(version.Name(), false, NegotiationOrder.Indeterminate, [], [], "not tested", 0, 0, null, []));
        }

        var floor = run.Versions.Values.Sum(v => v.Result.Accepted.Length + 1) + (run.Ssl2 is null ? 0 : 1)
            + (run.Curves is { } c ? c.Curves.Length + 1 : 0)
            + (run.Tls13Groups is { } g ? g.Groups.Length + 1 : 0)
            // A server order at TLS 1.2, of the curves and of the TLS 1.3 groups is confirmed by the same hello once more
            // (issue 16): part of an exact result.
            + (run.Versions.TryGetValue(TlsVersion.Tls12, out var t12) && Repeated(t12.Order) ? 1 : 0)
            + (run.Curves is { } co && Repeated(co.Order) ? 1 : 0)
            + (run.Tls13Groups is { } go && Repeated(go.Order) ? 1 : 0);
        var connections = new ConnectionCounts(counter.Total, floor,
            [.. counter.PerProbe.OrderBy(p => AssessmentRun.StepRank(p.Probe)).Select(p => new ProbeConnections(p.Probe, p.Count))]);

        var anySupported = protocols.Any(p => p.Supported);
        var failure = negotiator.Fatal ?? (negotiator.AnyAnswer || run.Ssl2?.Outcome is HandshakeOutcome.Ssl2Error or HandshakeOutcome.Ssl2ServerHello
            ? null
            : protocols.SelectMany(p => p.Errors).FirstOrDefault() ?? new ProbeFailure(FailureKind.TlsHandshakeFailed, "no version got an answer"));
        var status = failure is not null && !anySupported ? ProbeStatus.Failed : ProbeStatus.Completed;

        return new TlsAssessmentReport(
            status,
            failure,
            negotiator.Shape switch { HelloShape.Compact => "compact", HelloShape.Windowed => "windowed", _ => "full" },
            negotiator.FullHelloFailure,
            protocols,
            KeyExchange(run),
            run.SignatureAlgorithms is { } sa ? new SignatureAlgorithmFacts("TLSv1.2", [.. sa.Select(s => new NamedCode(s, SignatureSchemes.NameOf(s)))]) : null,
            connections);
    }

    /// <summary>
    /// The report when closes read as refusals could not be proven (<see cref="Negotiator.ProveRefusalsAsync"/>: no
    /// hello was answered after the last one, the control hello included): none of them is a refusal. A version
    /// refused that way is inconclusive, not "not supported"; a supported one may lack suites; the failure says why.
    /// </summary>
    internal static TlsAssessmentReport Unproven(TlsAssessmentReport report, string why)
    {
        var failure = new ProbeFailure(FailureKind.ConnectionClosed, "inconclusive: closes read as refusals are not proven; " + why);
        var protocols = report.Protocols.Select(p => p.Refusal?.EndsWith(Negotiator.ConfirmedSuffix, StringComparison.Ordinal) == true
            ? p with { Refusal = null, Inconclusive = p.Supported ? p.Inconclusive : failure.Message, Errors = [.. p.Errors, failure] }
            : p).ToList();
        return report with { Protocols = protocols, Failure = report.Failure ?? failure };
    }

    /// <summary>A server order (or its refutation) was checked by sending the same hello once more.</summary>
    private static bool Repeated(NegotiationOrder order) => order is NegotiationOrder.Server or NegotiationOrder.Inconsistent;

    private static ProtocolAssessment Ssl2(AssessmentRun run, CountingConnectionFactory counter)
    {
        if (run.Ssl2 is not { } r)
        {
            return new ProtocolAssessment("SSLv2", false, NegotiationOrder.Indeterminate, [], [], "not tested", 0, 0, null, []);
        }

        var kinds = r.Ssl2ServerHello is { IsError: false } h
            ? h.CipherSpecs.Select(c => Ssl2CipherSpecs.TryGet(c, out var spec)
                ? new Ssl2CipherKind(c, spec.Name, spec.KeyBits)
                : new Ssl2CipherKind(c, $"0x{c:X6}", 0)).ToList()
            : [];
        var refusal = r.Outcome switch
        {
            HandshakeOutcome.Ssl2ServerHello when kinds.Count > 0 => null,
            HandshakeOutcome.Ssl2ServerHello => "no cipher kinds in common",
            HandshakeOutcome.Ssl2Error => "SSLv2 error",
            HandshakeOutcome.Alert => "alert " + r.Alert!.DescriptionName,
            _ when run.Ssl2Inconclusive is not null => null,
            _ => (r.Failure?.Kind == FailureKind.Timeout ? "no answer (timeout)" : "closed") + Negotiator.ConfirmedSuffix,
        };
        var errors = run.Ssl2Inconclusive is { } why
            ? new[] { new ProbeFailure(r.Failure?.Kind ?? FailureKind.ProtocolError, why) }
            : r.Failure is { Kind: FailureKind.ProtocolError or FailureKind.LimitExceeded } f ? [f] : [];
        var connections = counter.CountOf("SSLv2");
        return new ProtocolAssessment("SSLv2", kinds.Count > 0, NegotiationOrder.Indeterminate, [], kinds, refusal,
            Ssl2CipherSpecs.All.Count, connections, null, errors, run.Ssl2Inconclusive);
    }

    private static ProtocolAssessment Protocol(TlsVersion version, VersionRun v)
    {
        var byPick = v.Result.Steps.Where(s => s.Pick is not null).GroupBy(s => s.Pick!.Value).ToDictionary(g => g.Key, g => g.First().Handshake);
        var suites = v.Suites.Select(code =>
        {
            var info = CipherSuiteRegistry.Find(code);
            return new AcceptedSuite(code, info?.IanaName ?? CipherSuiteRegistry.NameOf(code), info?.KeyBits ?? 0,
                info?.ForwardSecrecy ?? false, info?.IsAead ?? false, byPick.GetValueOrDefault(code) is { } h ? KeyExchangeText(h) : null);
        }).ToList();
        var first = v.Result.Steps.FirstOrDefault(s => s.Handshake?.ServerHelloRaw is not null)?.Handshake?.ServerHelloRaw;
        // Nothing accepted and no refusal the server stated: the version's absence is not established.
        var inconclusive = v.Result.Accepted.IsEmpty && v.Result.Refusal is null && !v.Result.Errors.IsEmpty
            ? v.Result.Errors[0].Message
            : null;
        return new ProtocolAssessment(version.Name(), !v.Result.Accepted.IsEmpty, v.Order, suites, [],
            v.Result.Refusal, v.Result.Tested, v.Connections,
            first is { } raw ? Convert.ToHexString(raw.AsSpan()) : null, v.Result.Errors, inconclusive);
    }

    /// <summary>"ECDH x25519", "DH 2048 ffdhe2048", "RSA 512 (export)", TLS 1.3 "x25519".</summary>
    internal static string? KeyExchangeText(HandshakeResult h)
    {
        if (h.ServerHello is { } sh && sh.NegotiatedVersion >= (ushort)TlsVersion.Tls13)
        {
            return sh.KeyShareGroup is { } g ? NamedGroups.NameOf(g) : null;
        }

        return h.ServerKeyExchange switch
        {
            { Kind: ServerKeyExchangeKind.Ecdhe, NamedCurve: { } c } => "ECDH " + NamedGroups.NameOf(c),
            { Kind: ServerKeyExchangeKind.Ecdhe } => "ECDH explicit curve",
            { Kind: ServerKeyExchangeKind.Dhe, DhP: { } p } => $"DH {h.ServerKeyExchange.ModulusBits}"
                + (WellKnownDhGroups.Identify(p.AsSpan()) is { } w ? " " + w.Name : string.Empty),
            { Kind: ServerKeyExchangeKind.RsaExport } => $"RSA {h.ServerKeyExchange.ModulusBits} (export key)",
            _ => null,
        };
    }

    private static KeyExchangeFacts KeyExchange(AssessmentRun run)
    {
        var groups = new Dictionary<string, (DhGroupFacts Facts, SortedSet<string> Protocols)>();
        foreach (var (version, v) in run.Versions.OrderBy(kv => kv.Key))
        {
            foreach (var s in v.Result.Steps)
            {
                if (s.Handshake?.ServerKeyExchange is not { Kind: ServerKeyExchangeKind.Dhe, DhP: { } p, DhG: { } g } ske)
                {
                    continue;
                }

                var prime = p.AsSpan().TrimStart((byte)0);
                var hash = Convert.ToHexString(SHA256.HashData(prime));
                if (!groups.TryGetValue(hash, out var entry))
                {
                    var known = WellKnownDhGroups.Identify(prime);
                    entry = (new DhGroupFacts(ske.ModulusBits ?? 0, known?.Name, known?.Source, known is null ? null : OriginName(known.Origin),
                        hash, Convert.ToHexString(g.AsSpan().TrimStart((byte)0)), []), new SortedSet<string>(StringComparer.Ordinal));
                    groups[hash] = entry;
                }

                entry.Protocols.Add(version.Name());
            }
        }

        return new KeyExchangeFacts(
            [.. groups.Values.Select(e => e.Facts with { Protocols = [.. e.Protocols] })],
            run.Curves?.Version.Name(),
            run.Curves is { } c ? [.. c.Curves.Select(Group)] : [],
            run.Curves?.Order ?? NegotiationOrder.Indeterminate,
            run.Tls13Groups is { } t ? [.. t.Groups.Select(Group)] : [],
            run.Tls13Groups?.Order ?? NegotiationOrder.Indeterminate);
    }

    private static NamedCode Group(ushort code) => new(code, NamedGroups.NameOf(code));

    private static string OriginName(DhGroupOrigin origin) => origin switch
    {
        DhGroupOrigin.Rfc2409 => "rfc2409",
        DhGroupOrigin.Rfc3526 => "rfc3526",
        DhGroupOrigin.Rfc5114 => "rfc5114",
        DhGroupOrigin.Rfc7919 => "rfc7919",
        _ => "common_weak",
    };
}
