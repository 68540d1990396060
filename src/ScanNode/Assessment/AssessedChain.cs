using System.Collections.Immutable;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>An assessment and the DER of the chain its handshakes received (leaf first; empty without one).</summary>
public sealed record AssessedChain(TlsAssessmentReport Report, IReadOnlyList<byte[]> Chain)
{
    /// <summary>The hellos another endpoint must answer alike to share this assessment (empty: not shareable).</summary>
    internal ImmutableArray<RecordedHello> Plan { get; init; } = [];
}
