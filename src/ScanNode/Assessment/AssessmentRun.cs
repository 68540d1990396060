using System.Collections.Concurrent;
using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>The state of one assessment while it runs (what every step reuses from the earlier ones).
/// The steps live in the other parts by concern: the suites (AssessmentRun.Suites.cs), SSLv2 (AssessmentRun.Ssl2.cs),
/// the key exchange parameters (AssessmentRun.KeyExchange.cs).</summary>
internal sealed partial class AssessmentRun
{
    private readonly Negotiator _negotiator;
    private readonly CountingConnectionFactory _counter;
    private readonly AssessmentOptions _options;

    public AssessmentRun(Negotiator negotiator, CountingConnectionFactory counter, AssessmentOptions options)
    {
        _negotiator = negotiator;
        _counter = counter;
        _options = options;
        // What the negotiator's witness hello carries and answers for: the TLS 1.3 enumeration's first offer, as
        // EnumerateSuitesCoreAsync makes it before any TLS 1.3 group was seen.
        negotiator.Tls13FirstOffer = () => (
            RemovalEnumerator.FirstOffer(SuiteCandidates.For(TlsVersion.Tls13, _options.IncludeCredentialSuites), _negotiator.SuiteWindow(TlsVersion.Tls13)),
            SuiteOfferHello(TlsVersion.Tls13, [], []).Hello);
    }

    /// <summary>The suite enumerations in sequential order.</summary>
    public static readonly ImmutableArray<TlsVersion> SuiteVersions = [TlsVersion.Tls12, TlsVersion.Tls13, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3];

    /// <summary>Per version: the enumeration, the resolved order, and the connections it took.</summary>
    public ConcurrentDictionary<TlsVersion, VersionRun> Versions { get; } = [];

    /// <summary>Per version: every suite offer as sent and answered, in order (what a verification replays).</summary>
    public ConcurrentDictionary<TlsVersion, List<SentOffer>> Sent { get; } = [];

    public HandshakeResult? Ssl2 { get; private set; }

    public (TlsVersion Version, NegotiationOrder Order, ImmutableArray<ushort> Curves)? Curves { get; private set; }

    public (NegotiationOrder Order, ImmutableArray<ushort> Groups)? Tls13Groups { get; private set; }

    public ImmutableArray<ushort>? SignatureAlgorithms { get; private set; }

    public List<ProbeFailure> Errors { get; } = [];

    /// <summary>
    /// The chain the engine's handshakes received: the Certificate message of the highest TLS ≤ 1.2 version whose
    /// accepted handshake carried one (plaintext there, RFC 5246 §7.4.2), else the SSLv2 SERVER-HELLO's certificate
    /// (SSL 2.0 carries exactly one). What a server no TLS library finishes a handshake with is known by.
    /// </summary>
    public IReadOnlyList<byte[]> ObservedChain()
    {
        foreach (var version in (TlsVersion[])[TlsVersion.Tls12, TlsVersion.Tls11, TlsVersion.Tls10, TlsVersion.Ssl3])
        {
            if (Versions.TryGetValue(version, out var v)
                && v.Result.Steps.Select(s => s.Handshake).FirstOrDefault(h => h is { Certificates.Length: > 0 }) is { } h)
            {
                return [.. h.Certificates.Select(c => c.ToArray())];
            }
        }

        return Ssl2?.Ssl2ServerHello is { IsError: false, Certificate.Length: > 0 } ssl2 ? [ssl2.Certificate.ToArray()] : [];
    }

    /// <summary>The label of the control hello: sent at the end, only when no hello was answered after the last close.</summary>
    public const string ControlProbe = "control hello";

    /// <summary>
    /// Where <paramref name="probe"/>'s connections come in the sequential run: the report lists them in this
    /// order whichever lane opened them first.
    /// </summary>
    public static int StepRank(string probe)
    {
        for (var i = 0; i < SuiteVersions.Length; i++)
        {
            if (probe == "suites " + SuiteVersions[i].Name())
            {
                return 2 * i;
            }

            if (probe == "suite_order " + SuiteVersions[i].Name())
            {
                return 2 * i + 1;
            }
        }

        return probe switch
        {
            "SSLv2" => 20,
            "ecdhe_curves" or "ecdhe_curves+signature_algorithms" => 21,
            "ecdhe_curve_order" => 22,
            "tls13_groups" => 23,
            "tls13_group_order" => 24,
            "signature_algorithms" => 25,
            ControlProbe => 26,
            _ => 30,
        };
    }

    private void AddErrors(ImmutableArray<ProbeFailure> errors)
    {
        lock (Errors)
        {
            Errors.AddRange(errors);
        }
    }

    /// <summary>Group picks seen in each version's suite handshakes (offered list, pick).</summary>
    private ConcurrentDictionary<TlsVersion, List<RemovalStep>> GroupSteps { get; } = [];

    /// <summary>Signature algorithm picks seen in the TLS 1.2 suite handshakes.</summary>
    private List<RemovalStep> SchemeSteps { get; set; } = [];

    private ImmutableArray<ushort> GroupsOffered => _negotiator.Compact ? AssessmentHello.CompactGroups : ClientHelloProfiles.DefaultGroups;

    private ImmutableArray<ushort> SignaturesOffered =>
        _negotiator.Compact ? AssessmentHello.CompactSignatureAlgorithms : ClientHelloProfiles.DefaultSignatureAlgorithms;
}

/// <summary>One version's enumeration.</summary>
/// <param name="Result">The removal enumeration.</param>
/// <param name="Order">Whose order picks the suite.</param>
/// <param name="Suites">Accepted suites, in server order (Server) or code order (Client).</param>
/// <param name="Connections">Connections for the suites and their order.</param>
internal sealed record VersionRun(RemovalResult Result, NegotiationOrder Order, ImmutableArray<ushort> Suites, int Connections);
