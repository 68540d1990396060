using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>Whose order decides the suite.</summary>
public enum SuitePreference
{
    /// <summary>Fewer than two suites accepted, or the answers did not allow a decision.</summary>
    Indeterminate,
    /// <summary>The server picks by its own order (same choice for a list and its reverse).</summary>
    Server,
    /// <summary>The server takes the client's first acceptable suite.</summary>
    Client,
}

/// <summary>The suites a server accepts at one version.</summary>
/// <param name="Version">The version offered.</param>
/// <param name="Accepted">Accepted suites; in the server's order when <paramref name="Preference"/> is Server,
/// else in discovery order.</param>
/// <param name="Preference">Server or client order.</param>
/// <param name="Handshakes">Connections used.</param>
/// <param name="Errors">Attempts that failed for another reason than "no suite in common" (timeouts, garbage).</param>
public sealed record CipherSuiteEnumeration(
    TlsVersion Version,
    ImmutableArray<ushort> Accepted,
    SuitePreference Preference,
    int Handshakes,
    ImmutableArray<ProbeFailure> Errors)
{
    /// <summary>For SSLv2 only: the 24-bit cipher kinds the SERVER-HELLO listed (of those offered).</summary>
    public ImmutableArray<int> Ssl2Accepted { get; init; } = [];
}

/// <summary>
/// Finds the accepted suites at one version the way sslyze/testssl do: offer a bundle of at most
/// <see cref="MaxBundle"/> suites, note the server's choice, remove it, offer the rest again until the
/// server refuses; then offer the accepted list forward and reversed to tell server from client order, and
/// for server order read the full preference by repeated removal.
/// </summary>
public sealed class CipherSuiteEnumerationProbe(HandshakeProbe handshakes)
{
    /// <summary>Suites per ClientHello: small enough for servers that choke on long lists.</summary>
    public const int MaxBundle = 64;

    /// <summary>Enumerates accepted suites among <paramref name="candidates"/> (default: all defined for the version).</summary>
    public async Task<CipherSuiteEnumeration> RunAsync(
        TlsVersion version,
        string? serverName,
        CancellationToken cancellationToken,
        IReadOnlyList<ushort>? candidates = null)
    {
        if (version == TlsVersion.Ssl2)
        {
            return await RunSsl2Async(cancellationToken).ConfigureAwait(false);
        }

        candidates ??= CipherSuiteRegistry.DefinedFor(version).Select(s => s.Code).ToList();
        var accepted = new List<ushort>();
        var errors = ImmutableArray.CreateBuilder<ProbeFailure>();
        var count = 0;
        foreach (var chunk in candidates.Chunk(MaxBundle))
        {
            var remaining = chunk.ToList();
            while (remaining.Count > 0)
            {
                count++;
                var chosen = await ChooseAsync(version, remaining, serverName, errors, cancellationToken).ConfigureAwait(false);
                if (chosen is not { } suite || !remaining.Remove(suite))
                {
                    break;
                }

                accepted.Add(suite);
            }
        }

        if (accepted.Count < 2)
        {
            return new CipherSuiteEnumeration(version, [.. accepted], SuitePreference.Indeterminate, count, errors.ToImmutable());
        }

        // Forward and reversed: a server that picks its own favourite picks the same suite both times.
        var first = await ChooseAsync(version, accepted, serverName, errors, cancellationToken).ConfigureAwait(false);
        var reversed = accepted.AsEnumerable().Reverse().ToList();
        var second = await ChooseAsync(version, reversed, serverName, errors, cancellationToken).ConfigureAwait(false);
        count += 2;
        if (first is null || second is null)
        {
            return new CipherSuiteEnumeration(version, [.. accepted], SuitePreference.Indeterminate, count, errors.ToImmutable());
        }

        if (first != second)
        {
            return new CipherSuiteEnumeration(version, [.. accepted], SuitePreference.Client, count, errors.ToImmutable());
        }

        // Server order: repeatedly offer what is left and take the server's pick.
        var order = new List<ushort> { first.Value };
        var left = accepted.Where(s => s != first.Value).ToList();
        while (left.Count > 1)
        {
            count++;
            var pick = await ChooseAsync(version, left, serverName, errors, cancellationToken).ConfigureAwait(false);
            if (pick is not { } p || !left.Remove(p))
            {
                break;
            }

            order.Add(p);
        }

        order.AddRange(left);
        return new CipherSuiteEnumeration(version, [.. order], SuitePreference.Server, count, errors.ToImmutable());
    }

    /// <summary>The suite the server chooses from <paramref name="offer"/> at exactly <paramref name="version"/>, or null.</summary>
    private async Task<ushort?> ChooseAsync(TlsVersion version, IReadOnlyList<ushort> offer, string? serverName,
        ImmutableArray<ProbeFailure>.Builder errors, CancellationToken cancellationToken)
    {
        var suites = version == TlsVersion.Tls13 ? offer : [.. offer, 0x00FF];
        var r = await handshakes.RunAsync(ClientHelloProfiles.For(version, suites, serverName), cancellationToken).ConfigureAwait(false);
        if (r.Outcome is HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest && r.NegotiatedVersion == (ushort)version)
        {
            return r.CipherSuite;
        }

        if (r.Outcome == HandshakeOutcome.Failed && r.Failure is { Kind: not FailureKind.ConnectionClosed } f)
        {
            errors.Add(f);
        }

        return null;
    }

    private async Task<CipherSuiteEnumeration> RunSsl2Async(CancellationToken cancellationToken)
    {
        // SSLv2 servers list their cipher kinds in SERVER-HELLO: one connection tells all (no order exists).
        var offered = Ssl2CipherSpecs.All.Select(s => s.Code).ToArray();
        var r = await handshakes.RunSsl2Async(offered, cancellationToken).ConfigureAwait(false);
        ImmutableArray<int> accepted = r.Ssl2ServerHello is { IsError: false } h
            ? [.. h.CipherSpecs.Where(offered.Contains)]
            : [];
        return new CipherSuiteEnumeration(TlsVersion.Ssl2, [], SuitePreference.Indeterminate, 1,
            r.Failure is { } f && f.Kind != FailureKind.ConnectionClosed ? [f] : [])
        {
            Ssl2Accepted = accepted,
        };
    }
}
