using System.Collections.Concurrent;
using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>SSL 2.0: one connection (the SERVER-HELLO lists every cipher kind), plus the control hello on a close.</summary>
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
            // An SSLv2 ERROR or a TLS alert is the server saying no; a close or silence is one only when the control
            // hello shows the server still answering (issue 16), the same rule as every TLS version; garbage, an
            // oversized record or a failed connection is no answer at all.
            var what = r.Failure?.Message ?? "no answer";
            Ssl2Inconclusive = r.Failure?.Kind is FailureKind.ConnectionClosed or FailureKind.Timeout
                ? await _negotiator.ControlFailureAsync(ct).ConfigureAwait(false) is { } failed ? $"{what}; {failed}" : null
                : what;
        }

        Ssl2 = r;
    }

    /// <summary>Why SSLv2's failed hello is no refusal (the control hello failed too, nothing was accepted to control
    /// with, or the answer was no answer); null when the server answered or the control confirmed the close.</summary>
    public string? Ssl2Inconclusive { get; private set; }
}
