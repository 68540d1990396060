using System.Collections.Immutable;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// A hello the full assessment sent and the answer it got, exactly as sent (version, suites in wire order, groups,
/// key shares, signature algorithms, hello shape): replayed to another endpoint, it must get the same answer if
/// that endpoint is the same TLS service (<see cref="VerificationPlan"/>).
/// </summary>
/// <param name="Name">What it tests, for the report ("TLSv1.2 first offer").</param>
/// <param name="Version">The version offered.</param>
/// <param name="Suites">The suites offered, in wire order.</param>
/// <param name="Hello">The hello's lists.</param>
/// <param name="Compact">The compact hello shape.</param>
/// <param name="Answer">The answer in <see cref="HelloAnswer"/>'s words.</param>
internal sealed record RecordedHello(string Name, TlsVersion Version, ImmutableArray<ushort> Suites, HelloOptions Hello, bool Compact, string Answer);

/// <summary>One suite offer of a version's enumeration as sent and answered (the raw material of a plan).</summary>
/// <param name="Suites">The suites offered.</param>
/// <param name="Hello">The hello's lists.</param>
/// <param name="Compact">The compact shape was in use.</param>
/// <param name="Answer">The answer.</param>
/// <param name="Enumeration">Sent by the removal enumeration (not by the order resolution after it).</param>
internal sealed record SentOffer(ImmutableArray<ushort> Suites, HelloOptions Hello, bool Compact, Probes.Offer Answer, bool Enumeration);
