using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The endpoint's own session (its first connection, a complete handshake) is evidence too: a version it
/// negotiated cannot be "not supported", a suite it negotiated cannot be missing from that version's list. A
/// server that behaves on the first connection and misbehaves later produces exactly such contradictions; they
/// are reported, and the contradicted version becomes inconclusive rather than absent.
/// </summary>
public static class SessionConsistency
{
    /// <summary>The assessment with every contradiction with <paramref name="session"/> recorded.</summary>
    public static TlsAssessmentReport Check(TlsAssessmentReport assessment, TlsSessionReport? session)
    {
        if (session?.Protocol is not { } version || assessment.Protocols.Count == 0)
        {
            return assessment;
        }

        var protocols = assessment.Protocols.ToList();
        var index = protocols.FindIndex(p => p.Protocol == version);
        if (index < 0)
        {
            return assessment;
        }

        var p = protocols[index];
        var suite = session.CipherSuite is { } cs ? $" with {cs.Name}" : string.Empty;
        string? contradiction = null;
        if (!p.Supported)
        {
            contradiction = $"the session negotiated {version}{suite}, but the assessment found {version} "
                + (p.Inconclusive is not null ? "inconclusive" : $"not supported ({p.Refusal ?? "no answer"})");
            protocols[index] = p with { Inconclusive = p.Inconclusive ?? contradiction };
        }
        else if (session.CipherSuite is { } negotiated && p.Suites.Count > 0 && p.Suites.All(s => s.Code != negotiated.Code))
        {
            contradiction = $"the session negotiated {negotiated.Name} at {version}, which the assessment did not find accepted";
        }

        return contradiction is null
            ? assessment
            : assessment with { Protocols = protocols, Contradictions = [.. assessment.Contradictions ?? [], contradiction] };
    }
}
