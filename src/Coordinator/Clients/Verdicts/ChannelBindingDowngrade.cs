using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Clients.Verdicts;

/// <summary>
/// The verdict of a two-visit channel-binding downgrade scenario (RFC 5802 §6, RFC 5056): the first visit offered
/// SCRAM-PLUS, the second (after the harness's <see cref="WireEventKind.SecondVisit"/> marker) offers less. Only a
/// client that chose a -PLUS mechanism the first time can be downgraded; for the others the verdict is
/// <see cref="VerdictKind.NotApplicable"/> — a fact from the first visit's wire, not a guess.
/// </summary>
internal static class ChannelBindingDowngrade
{
    public static Verdict Judge(Scenario scenario, IReadOnlyList<WireEvent> events)
    {
        var marker = events.Select((e, i) => (e, i)).FirstOrDefault(x => x.e.Kind == WireEventKind.SecondVisit).i;
        var split = events.Any(e => e.Kind == WireEventKind.SecondVisit) ? marker : events.Count;
        var first = events.Take(split).ToList();
        var second = events.Skip(split + 1).ToList();
        var connections = events.Where(e => e.Kind == WireEventKind.Connected).Select(e => e.Connection).Distinct().Count();
        var plus = first.FirstOrDefault(e => e.Kind == WireEventKind.AuthStarted && e.Mechanism is { } m && m.EndsWith("-PLUS", StringComparison.Ordinal));
        if (plus is null)
        {
            var one = VerdictJudge.JudgeOne(scenario, first);
            if (one.Kind == VerdictKind.NoConnection)
            {
                return one with { MeetsExpectation = false };
            }

            // The first visit is an honest server, so what is left to say is which mechanism the client chose instead.
            var chose = first.FirstOrDefault(e => e.Kind == WireEventKind.AuthStarted)?.Mechanism;
            var firstFlag = first.FirstOrDefault(e => e.Kind == WireEventKind.ChannelBindingFlag)?.Detail;
            return new Verdict(VerdictKind.NotApplicable, true, one.Mechanism, one.TlsProtocol, null, connections)
            {
                ChannelBinding = "first visit: " + (chose is null ? "no authentication" : "chose " + chose + (firstFlag is null ? "" : " gs2 flag " + firstFlag))
                    + ", no -PLUS",
            };
        }

        var bound = first.FirstOrDefault(e => e.Kind == WireEventKind.ChannelBindingChecked && e.Connection == plus.Connection)?.Detail ?? "no channel-binding data";
        var verdict = VerdictJudge.JudgeOne(scenario, second);
        var flag = second.LastOrDefault(e => e.Kind == WireEventKind.ChannelBindingFlag)?.Detail;

        // RFC 5802 §6: "y" tells a server that supports channel binding that the -PLUS offer was stripped, and the real
        // server fails the exchange; "n" (or PLAIN, which carries the password itself) lets the downgrade pass unseen.
        var detectable = verdict.Kind == VerdictKind.AuthenticatedOverTls && flag == "y";
        var meets = verdict.Kind is VerdictKind.Refused or VerdictKind.ConnectedNoAuth || detectable;
        return verdict with
        {
            MeetsExpectation = meets,
            Connections = connections,
            ChannelBinding = "first visit: " + plus.Mechanism + ", " + bound + "; second visit: "
                + (verdict.Mechanism is { } m ? m + (flag is null ? "" : " gs2 flag " + flag) : "no authentication"),
        };
    }
}
