using System.Text;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>A compact dump of an assessment for test output (what failed tests show).</summary>
internal static class AssessmentText
{
    /// <summary>
    /// <see cref="Describe"/> without the control hello: whether one is needed at the end depends on which lane's hello
    /// came last, so the sequential run and the lanes agree on everything else (TlsAssessor).
    /// </summary>
    public static string DescribeWithoutControl(TlsAssessmentReport r) => Describe(WithoutControl(r));

    /// <summary>The control hellos <paramref name="r"/> sent: 0 or 1.</summary>
    public static int ControlHellos(TlsAssessmentReport r) =>
        r.Connections.PerProbe.Where(p => p.Probe == AssessmentRun.ControlProbe).Sum(p => p.Connections);

    private static TlsAssessmentReport WithoutControl(TlsAssessmentReport r) => r with
    {
        Connections = r.Connections with
        {
            Total = r.Connections.Total - ControlHellos(r),
            PerProbe = [.. r.Connections.PerProbe.Where(p => p.Probe != AssessmentRun.ControlProbe)],
        },
    };

    /// <summary>What the assessment found, without what it cost (connections per version and probe): for comparing
    /// two runs that may send different hellos.</summary>
    public static string Findings(TlsAssessmentReport r) => Describe(r, connections: false);

    public static string Describe(TlsAssessmentReport r) => Describe(r, connections: true);

    private static string Describe(TlsAssessmentReport r, bool connections)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"status {r.Status} {r.Failure} hello {r.HelloProfile} {r.FullHelloFailure}");
        foreach (var p in r.Protocols)
        {
            var conns = connections ? $" conns={p.Connections}" : "";
            sb.AppendLine($"{p.Protocol}: supported={p.Supported} order={p.SuiteOrder} refusal={p.Refusal} tested={p.CandidatesTested}{conns} errors={string.Join("; ", p.Errors)}");
            foreach (var s in p.Suites) sb.AppendLine($"   {s.Hex} {s.Name} {s.Bits} fs={s.ForwardSecrecy} aead={s.Aead} {s.KeyExchange}");
            foreach (var k in p.Ssl2CipherKinds) sb.AppendLine($"   0x{k.Code:X6} {k.Name}");
        }

        foreach (var g in r.KeyExchange.DhGroups) sb.AppendLine($"DH {g.Bits} {g.Name} {string.Join(",", g.Protocols)}");
        sb.AppendLine($"curves ({r.KeyExchange.EcdheProtocol}, {r.KeyExchange.EcdheCurveOrder}): {string.Join(" ", r.KeyExchange.EcdheCurves.Select(c => c.Name))}");
        sb.AppendLine($"tls13 groups ({r.KeyExchange.Tls13GroupOrder}): {string.Join(" ", r.KeyExchange.Tls13Groups.Select(c => c.Name))}");
        sb.AppendLine($"sigalgs: {string.Join(" ", r.SignatureAlgorithms?.Accepted.Select(c => c.Name) ?? [])}");
        if (connections)
        {
            sb.AppendLine($"connections {r.Connections.Total} floor {r.Connections.Floor}: {string.Join(", ", r.Connections.PerProbe.Select(p => $"{p.Probe}={p.Connections}"))}");
        }

        return sb.ToString();
    }
}
