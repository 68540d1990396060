using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>Whether one protocol version was accepted, with the handshake that shows it.</summary>
/// <param name="Version">The version offered (and only that one).</param>
/// <param name="Supported">The server negotiated exactly this version.</param>
/// <param name="Evidence">The handshake attempt.</param>
public sealed record ProtocolSupport(TlsVersion Version, bool Supported, HandshakeResult Evidence);

/// <summary>
/// Offers each of SSLv2, SSLv3, TLS 1.0, 1.1, 1.2, 1.3 alone, with every suite defined for it, and records
/// whether the server negotiated it. A lower version in the answer means "not supported" (the server fell
/// back); the answer is kept as evidence.
/// </summary>
public sealed class ProtocolSupportProbe(HandshakeProbe handshakes)
{
    /// <summary>Tests one version.</summary>
    public async Task<ProtocolSupport> TestAsync(TlsVersion version, string? serverName, CancellationToken cancellationToken)
    {
        if (version == TlsVersion.Ssl2)
        {
            var r2 = await handshakes.RunSsl2Async(Ssl2CipherSpecs.All.Select(s => s.Code), cancellationToken).ConfigureAwait(false);
            return new ProtocolSupport(version, r2.Outcome == HandshakeOutcome.Ssl2ServerHello && r2.Ssl2ServerHello!.CipherSpecs.Length > 0, r2);
        }

        var profile = ClientHelloProfiles.For(version, OfferFor(version), serverName);
        var r = await handshakes.RunAsync(profile, cancellationToken).ConfigureAwait(false);
        var supported = r.Outcome is HandshakeOutcome.ServerHello or HandshakeOutcome.HelloRetryRequest
            && r.NegotiatedVersion == (ushort)version;
        return new ProtocolSupport(version, supported, r);
    }

    /// <summary>Tests every version, oldest first.</summary>
    public async Task<ImmutableArray<ProtocolSupport>> TestAllAsync(string? serverName, CancellationToken cancellationToken)
    {
        var results = ImmutableArray.CreateBuilder<ProtocolSupport>();
        foreach (var v in TlsVersionNames.All)
        {
            results.Add(await TestAsync(v, serverName, cancellationToken).ConfigureAwait(false));
        }

        return results.ToImmutable();
    }

    /// <summary>The suites offered for a version test: all defined for it, plus the renegotiation SCSV below TLS 1.3.</summary>
    public static IReadOnlyList<ushort> OfferFor(TlsVersion version)
    {
        var suites = CipherSuiteRegistry.DefinedFor(version).Select(s => s.Code).ToList();
        if (version != TlsVersion.Tls13)
        {
            suites.Add(0x00FF);
        }

        return suites;
    }
}
