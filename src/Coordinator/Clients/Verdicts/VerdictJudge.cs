using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Clients.Verdicts;

/// <summary>
/// Derives a <see cref="Verdict"/> from the facts the hostile server recorded — never from the client's output or
/// exit code, which a client may get wrong (reporting success after a refusal, or an error after leaking).
/// A pure function: tested on transcripts captured from real clients.
/// </summary>
public static class VerdictJudge
{
    public static Verdict Judge(Scenario scenario, IReadOnlyList<WireEvent> events) =>
        scenario.SecondVisitMechanisms is null ? JudgeOne(scenario, events) : ChannelBindingDowngrade.Judge(scenario, events);

    /// <summary>The verdict of one visit's events.</summary>
    internal static Verdict JudgeOne(Scenario scenario, IReadOnlyList<WireEvent> events)
    {
        var connections = events.Where(e => e.Kind == WireEventKind.Connected).Select(e => e.Connection).Distinct().Count();
        var credentials = events.Where(e => e.Kind == WireEventKind.CredentialsSent).ToList();
        var tls = events.LastOrDefault(e => e.Kind == WireEventKind.TlsEstablished)?.Detail;
        var mechanism = credentials.FirstOrDefault(e => !e.Encrypted)?.Mechanism ?? credentials.FirstOrDefault()?.Mechanism;

        VerdictKind kind;
        if (connections == 0)
        {
            kind = VerdictKind.NoConnection;
        }
        else if (credentials.Any(e => !e.Encrypted))
        {
            kind = VerdictKind.CredentialsInClear;
        }
        else if (ContinuedOverBadTls(events))
        {
            // The stream restarted over TLS although the certificate was bad: whatever follows goes to the attacker.
            kind = VerdictKind.AcceptedBadCertificate;
        }
        else if (credentials.Count > 0)
        {
            kind = VerdictKind.AuthenticatedOverTls;
        }
        else
        {
            kind = events.Any(e => e.Kind == WireEventKind.TimedOut) ? VerdictKind.ConnectedNoAuth : VerdictKind.Refused;
        }

        var meets = scenario.Expect switch
        {
            Expectation.Refuse => kind is VerdictKind.Refused or VerdictKind.ConnectedNoAuth,
            _ => kind == VerdictKind.AuthenticatedOverTls,
        };
        var aborted = kind is VerdictKind.Refused or VerdictKind.ConnectedNoAuth ? AbortPoint(events) : null;
        return new Verdict(kind, meets, mechanism, tls, aborted, connections);
    }

    private static bool ContinuedOverBadTls(IReadOnlyList<WireEvent> events) =>
        events.Any(e => e.Encrypted && e.CertificateBad && e.Kind is WireEventKind.StreamOpened or WireEventKind.AuthStarted
            or WireEventKind.CredentialsSent or WireEventKind.LegacyAuthRequest);

    /// <summary>The last thing the server did or saw before the client's final close, in words.</summary>
    private static string AbortPoint(IReadOnlyList<WireEvent> events)
    {
        var last = events.LastOrDefault(e => e.Kind is not (WireEventKind.ClientClosed or WireEventKind.TimedOut));
        var where = last?.Kind switch
        {
            WireEventKind.Connected => "before its stream header",
            WireEventKind.StreamOpened => "after its stream header",
            WireEventKind.FeaturesSent => "after the features (" + last.Detail + ")",
            WireEventKind.StartTlsRequested => "after <starttls/>",
            WireEventKind.TlsFailed => "in the TLS handshake (" + last.Detail + ")",
            WireEventKind.TlsEstablished => "right after the TLS handshake",
            WireEventKind.StreamErrorSent => "after the stream error <" + last.Detail + "/>",
            WireEventKind.AuthStarted => "during authentication",
            WireEventKind.LegacyAuthRequest => "after the iq:auth form",
            WireEventKind.Stanza => "after sending <" + last.Detail + ">",
            null => "before anything",
            _ => "after " + last.Kind,
        };
        return events.Any(e => e.Kind == WireEventKind.TimedOut) ? "stalled " + where : where;
    }
}
