using System.Collections.Concurrent;
using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>SSL 2.0: one connection (the SERVER-HELLO lists every cipher kind); a close owes its proof like every version's.</summary>
internal sealed partial class AssessmentRun
{
    public async Task TestSsl2Async(HandshakeProbe probe, CancellationToken ct)
    {
        if (_negotiator.Fatal is not null)
        {
            return;
        }

        _counter.Probe = "SSLv2";
        var r = await probe.RunSsl2Async(Ssl2CipherSpecs.All.Select(s => s.Code), ct).ConfigureAwait(false);
        if (r.Outcome == HandshakeOutcome.Failed)
        {
            // An SSLv2 ERROR or a TLS alert is the server saying no; a close or silence is one only when a hello
            // started after it is answered (issue 16), the same rule as every TLS version; garbage, an oversized
            // record or a failed connection is no answer at all.
            var what = r.Failure?.Message ?? "no answer";
            Ssl2Inconclusive = r.Failure?.Kind is FailureKind.ConnectionClosed or FailureKind.Timeout
                ? _negotiator.TakeCloseAsRefusal() is { } why ? $"{what}; {why}" : null
                : what;
        }

        Ssl2 = r;
    }

    /// <summary>Why SSLv2's failed hello is no refusal (nothing was accepted before it, or the answer was no answer);
    /// null when the server answered or the close was taken as a refusal (its proof settled at the end).</summary>
    public string? Ssl2Inconclusive { get; private set; }
}
