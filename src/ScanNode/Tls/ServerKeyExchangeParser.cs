using System.Collections.Immutable;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>Which ServerKeyExchange layout was read.</summary>
public enum ServerKeyExchangeKind
{
    /// <summary>ServerDHParams (DHE_*, DH_anon, DHE_PSK).</summary>
    Dhe,
    /// <summary>ServerECDHParams (ECDHE_*, ECDH_anon, ECDHE_PSK).</summary>
    Ecdhe,
    /// <summary>ServerRSAParams of RSA_EXPORT (RFC 2246 §7.4.3).</summary>
    RsaExport,
    /// <summary>PSK / RSA_PSK: only the psk_identity_hint.</summary>
    PskHint,
    /// <summary>ServerSRPParams (RFC 5054 §2.8.1).</summary>
    Srp,
}

/// <summary>Facts of a ServerKeyExchange. Big integers are as sent (leading zeros kept).</summary>
public sealed record ServerKeyExchange
{
    public required ServerKeyExchangeKind Kind { get; init; }

    public ImmutableArray<byte>? PskIdentityHint { get; init; }

    public ImmutableArray<byte>? DhP { get; init; }

    public ImmutableArray<byte>? DhG { get; init; }

    public ImmutableArray<byte>? DhYs { get; init; }

    /// <summary>ECCurveType: 3 named_curve; 1/2 explicit curves (RFC 8422 §5.4, deprecated, not decoded further).</summary>
    public byte? CurveType { get; init; }

    public ushort? NamedCurve { get; init; }

    public ImmutableArray<byte>? EcPoint { get; init; }

    public ImmutableArray<byte>? RsaModulus { get; init; }

    public ImmutableArray<byte>? RsaExponent { get; init; }

    public ImmutableArray<byte>? SrpN { get; init; }

    public ImmutableArray<byte>? SrpG { get; init; }

    public ImmutableArray<byte>? SrpSalt { get; init; }

    public ImmutableArray<byte>? SrpB { get; init; }

    /// <summary>TLS 1.2 SignatureAndHashAlgorithm (hash byte, signature byte).</summary>
    public ushort? SignatureScheme { get; init; }

    public ImmutableArray<byte>? Signature { get; init; }

    /// <summary>Explicit-curve parameters were sent and left undecoded.</summary>
    public bool ParametersUndecoded { get; init; }

    /// <summary>Bits of the DH prime p (or RSA export modulus) without leading zero bytes.</summary>
    public int? ModulusBits => BitLength(DhP ?? RsaModulus ?? SrpN);

    private static int? BitLength(ImmutableArray<byte>? value)
    {
        if (value is not { } v)
        {
            return null;
        }

        var i = 0;
        while (i < v.Length && v[i] == 0)
        {
            i++;
        }

        if (i == v.Length)
        {
            return 0;
        }

        var top = v[i];
        var bits = 0;
        while (top != 0)
        {
            bits++;
            top >>= 1;
        }

        return ((v.Length - i - 1) * 8) + bits;
    }
}

/// <summary>
/// Parses a ServerKeyExchange body. The layout depends on the negotiated suite's key exchange and on the
/// version (only TLS 1.2 has the SignatureAndHashAlgorithm field, RFC 5246 §7.4.3 vs RFC 4346 §7.4.3):
/// <code>
/// ServerDHParams   { opaque dh_p&lt;1..2^16-1&gt;; opaque dh_g&lt;1..2^16-1&gt;; opaque dh_Ys&lt;1..2^16-1&gt;; }
/// ServerECDHParams { ECCurveType curve_type(1); NamedCurve namedcurve(2); opaque point&lt;1..2^8-1&gt;; }  RFC 8422 §5.4
/// ServerRSAParams  { opaque rsa_modulus&lt;1..2^16-1&gt;; opaque rsa_exponent&lt;1..2^16-1&gt;; }             RFC 2246 §7.4.3
/// ServerSRPParams  { opaque N&lt;1..2^16-1&gt;; opaque g&lt;1..2^16-1&gt;; opaque s&lt;0..2^8-1&gt;; opaque B&lt;1..2^16-1&gt;; }
/// PSK families first carry opaque psk_identity_hint&lt;0..2^16-1&gt; (RFC 4279 §2, §3; RFC 5489 §2).
/// digitally-signed: TLS 1.2 { uint16 algorithm; opaque signature&lt;0..2^16-1&gt;; }, earlier { opaque signature&lt;0..2^16-1&gt;; }
/// </code>
/// Anonymous and PSK (except RSA export) layouts carry no signature.
/// </summary>
public static class ServerKeyExchangeParser
{
    public static ParseResult<ServerKeyExchange> Parse(ReadOnlySpan<byte> body, CipherSuiteInfo suite, ushort negotiatedVersion)
    {
        var r = new TlsSpanReader(body);
        ImmutableArray<byte>? hint = null;
        if (suite.KeyExchange is KeyExchange.Psk or KeyExchange.DhePsk or KeyExchange.RsaPsk or KeyExchange.EcdhePsk)
        {
            if (!r.TryReadVector16(out var h))
            {
                return ParseResult<ServerKeyExchange>.Fail("bad psk_identity_hint");
            }

            hint = [.. h];
        }

        ServerKeyExchange ske;
        switch (suite.KeyExchange)
        {
            case KeyExchange.Psk or KeyExchange.RsaPsk:
                ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.PskHint, PskIdentityHint = hint };
                break;
            case KeyExchange.Dhe or KeyExchange.DhePsk:
                if (!TryNonEmpty16(ref r, out var p) || !TryNonEmpty16(ref r, out var g) || !TryNonEmpty16(ref r, out var ys))
                {
                    return ParseResult<ServerKeyExchange>.Fail("bad ServerDHParams");
                }

                ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Dhe, PskIdentityHint = hint, DhP = [.. p], DhG = [.. g], DhYs = [.. ys] };
                break;
            case KeyExchange.Ecdhe or KeyExchange.EcdhePsk:
                if (!r.TryReadUInt8(out var curveType))
                {
                    return ParseResult<ServerKeyExchange>.Fail("bad ServerECDHParams");
                }

                if (curveType != 3)
                {
                    // explicit_prime (1) / explicit_char2 (2): deprecated by RFC 8422; recorded, not decoded.
                    return curveType is 1 or 2
                        ? ParseResult<ServerKeyExchange>.Ok(new ServerKeyExchange
                        {
                            Kind = ServerKeyExchangeKind.Ecdhe, PskIdentityHint = hint, CurveType = curveType, ParametersUndecoded = true,
                        })
                        : ParseResult<ServerKeyExchange>.Fail($"unknown curve_type {curveType}");
                }

                if (!r.TryReadUInt16(out var curve) || !r.TryReadVector8(out var point) || point.IsEmpty)
                {
                    return ParseResult<ServerKeyExchange>.Fail("bad ServerECDHParams");
                }

                ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Ecdhe, PskIdentityHint = hint, CurveType = 3, NamedCurve = curve, EcPoint = [.. point] };
                break;
            case KeyExchange.Rsa:
                if (!TryNonEmpty16(ref r, out var mod) || !TryNonEmpty16(ref r, out var exp))
                {
                    return ParseResult<ServerKeyExchange>.Fail("bad ServerRSAParams");
                }

                ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.RsaExport, RsaModulus = [.. mod], RsaExponent = [.. exp] };
                break;
            case KeyExchange.Srp:
                if (!TryNonEmpty16(ref r, out var n) || !TryNonEmpty16(ref r, out var sg) || !r.TryReadVector8(out var salt) || !TryNonEmpty16(ref r, out var b))
                {
                    return ParseResult<ServerKeyExchange>.Fail("bad ServerSRPParams");
                }

                ske = new ServerKeyExchange { Kind = ServerKeyExchangeKind.Srp, SrpN = [.. n], SrpG = [.. sg], SrpSalt = [.. salt], SrpB = [.. b] };
                break;
            default:
                return ParseResult<ServerKeyExchange>.Fail($"no ServerKeyExchange for key exchange {suite.KeyExchange}");
        }

        if (IsSigned(suite))
        {
            ushort? scheme = null;
            if (negotiatedVersion >= (ushort)TlsVersion.Tls12)
            {
                if (!r.TryReadUInt16(out var s))
                {
                    return ParseResult<ServerKeyExchange>.Fail("missing signature algorithm");
                }

                scheme = s;
            }

            if (!r.TryReadVector16(out var sig))
            {
                return ParseResult<ServerKeyExchange>.Fail("bad signature");
            }

            ske = ske with { SignatureScheme = scheme, Signature = [.. sig] };
        }

        return r.IsEmpty ? ParseResult<ServerKeyExchange>.Ok(ske) : ParseResult<ServerKeyExchange>.Fail("trailing bytes in ServerKeyExchange");
    }

    private static bool IsSigned(CipherSuiteInfo suite) =>
        suite.Authentication is Authentication.Rsa or Authentication.Dss or Authentication.Ecdsa
        && suite.KeyExchange is not (KeyExchange.RsaPsk);

    private static bool TryNonEmpty16(ref TlsSpanReader r, out ReadOnlySpan<byte> v) => r.TryReadVector16(out v) && !v.IsEmpty;
}
