using System.Collections.Immutable;
using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The full TLS assessment of one endpoint over any <see cref="ITlsConnectionFactory"/>, frugal with
/// connections because XMPP servers rate-limit hard:
/// <list type="number">
/// <item>Per version (TLS 1.2, 1.3, 1.1, 1.0, SSLv3): removal enumeration of the suites; its first handshake
/// is also the protocol-support test, and a refused version costs one connection. Below TLS 1.2, what TLS 1.2 found
/// foretells the suites and their order: a server order's favourite offered last, a client order's pinned second offer
/// only where more than one suite is foretold.</item>
/// <item>Server order from the same handshakes (alternating offer order); one swapped offer only when the
/// picks are consistent with client order.</item>
/// <item>SSLv2: one connection (the SERVER-HELLO lists every cipher kind).</item>
/// <item>ECDHE curves (TLS ≤ 1.2), TLS 1.3 groups (HelloRetryRequest to an empty key_share), TLS 1.2
/// signature algorithms: removal enumerations seeded with what the suite handshakes already showed.</item>
/// <item>A close or silence read as a refusal is proven by a hello started after it that got a ServerHello (issue
/// 16): at the end, one control hello when no step's hello was that proof.</item>
/// </list>
/// No version's exclusions are carried into another. DH groups come free from the DHE handshakes. With
/// <see cref="AssessmentOptions.MaxConnectionsPerServer"/> ≥ 2 the independent steps run in two lanes: the same
/// hellos and results in about half the wall time, and the same connection counts but for the control hello (which
/// lane's hello comes last depends on timing).
/// </summary>
public sealed class TlsAssessor(ScanLimits limits, AssessmentOptions? options = null)
{
    private readonly AssessmentOptions _options = options ?? AssessmentOptions.Default;

    /// <summary>Assesses the endpoint behind <paramref name="connections"/>; <paramref name="serverName"/> is the SNI.</summary>
    public Task<TlsAssessmentReport> AssessAsync(ITlsConnectionFactory connections, string? serverName, CancellationToken cancellationToken) =>
        AssessAsync(CreateCounter(connections), serverName, cancellationToken);

    /// <summary>The connection counter for this assessment's options: spacing, and up to
    /// <see cref="AssessmentOptions.MaxConnectionsPerServer"/> open at once (clamped to 1–4).</summary>
    public CountingConnectionFactory CreateCounter(ITlsConnectionFactory connections) =>
        new(connections, _options.MinimumSpacing, maxConcurrent: Math.Clamp(_options.MaxConnectionsPerServer, 1, 4));

    /// <summary>Assesses over <paramref name="counter"/>, which the caller keeps for the probes that follow (same
    /// sequencing and spacing; their connections are counted after the assessment's).</summary>
    public async Task<TlsAssessmentReport> AssessAsync(CountingConnectionFactory counter, string? serverName, CancellationToken cancellationToken) =>
        (await AssessWithChainAsync(counter, serverName, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>As <see cref="AssessAsync(CountingConnectionFactory, string?, CancellationToken)"/>, with the DER of the chain
    /// the report's <see cref="TlsAssessmentReport.ChainSha256"/> names (empty when no handshake carried one).</summary>
    public Task<AssessedChain> AssessWithChainAsync(CountingConnectionFactory counter, string? serverName, CancellationToken cancellationToken) =>
        AssessWithChainAsync(counter, serverName, sessionVersion: null, cancellationToken);

    /// <summary>As above, told the version the endpoint's own session negotiated: a hint for which hellos to send
    /// (<see cref="Negotiator.SessionSawTls13"/>), never a fact of the report.</summary>
    public async Task<AssessedChain> AssessWithChainAsync(CountingConnectionFactory counter, string? serverName, TlsVersion? sessionVersion,
        CancellationToken cancellationToken)
    {
        var concurrent = counter.MaxConcurrent;
        var negotiator = new Negotiator(new HandshakeProbe(counter, limits), serverName, _options) { SessionSawTls13 = sessionVersion == TlsVersion.Tls13 };
        var run = new AssessmentRun(negotiator, counter, _options);

        if (concurrent == 1)
        {
            foreach (var version in AssessmentRun.SuiteVersions)
            {
                await run.EnumerateSuitesAsync(version, cancellationToken).ConfigureAwait(false);
            }

            await run.TestSsl2Async(new HandshakeProbe(counter, limits), cancellationToken).ConfigureAwait(false);
            var curveOrder = await run.EcdheCurvesAsync(_options.SignatureAlgorithms, cancellationToken).ConfigureAwait(false);
            var groupOrder = await run.Tls13GroupsAsync(cancellationToken).ConfigureAwait(false);
            if (_options.SignatureAlgorithms)
            {
                await run.SignatureAlgorithmsAsync(cancellationToken).ConfigureAwait(false);
            }

            await (curveOrder?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
            await (groupOrder?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
        }
        else
        {
            await RunInLanesAsync(run, negotiator, new HandshakeProbe(counter, limits), cancellationToken).ConfigureAwait(false);
        }

        // Closes read as refusals owe a hello answered after them: usually one the steps sent anyway, else a control hello.
        counter.Probe = AssessmentRun.ControlProbe;
        var unproven = await negotiator.ProveRefusalsAsync(cancellationToken).ConfigureAwait(false);
        run.JudgeEarlyCloses();
        var chain = run.ObservedChain();
        var report = AssessmentReportBuilder.Build(run, negotiator, counter) with
        {
            ChainSha256 = chain.Count == 0 ? null : [.. chain.Select(der => Convert.ToHexStringLower(SHA256.HashData(der)))],
        };
        if (unproven is { } why)
        {
            report = AssessmentReportBuilder.Unproven(report, why);
        }

        return new AssessedChain(report, chain) { Plan = VerificationPlan.Choose(run) };
    }

    /// <summary>
    /// The same steps as the sequential run, in two lanes that write disjoint parts of the run and read only what
    /// their own lane wrote: A is TLS 1.2 and what its handshakes seed (ECDHE curves, signature algorithms); B the
    /// other versions, SSLv2 and the TLS 1.3 groups. B starts only once the hello shape is settled (normally by
    /// the first TLS 1.2 offer), so both lanes send the hellos the sequential run would; the versions below TLS 1.2 also
    /// wait for TLS 1.2's end (their first offers follow its suites and order). Curves from a version
    /// below TLS 1.2 (no ECDHE suite at 1.2) need B's results and run after both lanes, and so do the curve and group
    /// order resolutions, as in the sequential run. A fatal failure in one lane (refused, STARTTLS rejected) also
    /// stops the other at its next offer.
    /// </summary>
    private async Task RunInLanesAsync(AssessmentRun run, Negotiator negotiator, HandshakeProbe ssl2, CancellationToken ct)
    {
        var tls12 = run.EnumerateSuitesAsync(TlsVersion.Tls12, ct);
        await Task.WhenAny(negotiator.Settled, tls12).ConfigureAwait(false);

        Func<Task>? curveOrder = null, groupOrder = null;
        async Task LaneA()
        {
            await tls12.ConfigureAwait(false);
            curveOrder = await run.EcdheCurvesAsync(_options.SignatureAlgorithms, ct, [TlsVersion.Tls12]).ConfigureAwait(false);
            if (_options.SignatureAlgorithms)
            {
                await run.SignatureAlgorithmsAsync(ct).ConfigureAwait(false);
            }
        }

        async Task LaneB()
        {
            // Whether the other versions pin their second offer depends on TLS 1.2's first two answers.
            await run.Tls12LooksClientOrder.ConfigureAwait(false);
            foreach (var version in AssessmentRun.SuiteVersions.Where(v => v != TlsVersion.Tls12))
            {
                await run.EnumerateSuitesAsync(version, ct).ConfigureAwait(false);
            }

            await run.TestSsl2Async(ssl2, ct).ConfigureAwait(false);
            groupOrder = await run.Tls13GroupsAsync(ct).ConfigureAwait(false);
        }

        await Task.WhenAll(LaneA(), LaneB()).ConfigureAwait(false);
        curveOrder ??= await run.EcdheCurvesAsync(_options.SignatureAlgorithms, ct).ConfigureAwait(false);
        // The order resolutions last, after both lanes (side by side): their hellos prove every close before them.
        await Task.WhenAll(curveOrder?.Invoke() ?? Task.CompletedTask, groupOrder?.Invoke() ?? Task.CompletedTask).ConfigureAwait(false);
    }
}
