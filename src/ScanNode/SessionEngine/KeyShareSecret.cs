using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// This client's half of a TLS 1.3 (EC)DHE exchange (RFC 8446 §4.2.8): a fresh key pair per handshake, the public
/// key as a KeyShareEntry carries it, and the shared secret from the server's share. x25519 through BouncyCastle's
/// primitive (.NET has none), the NIST curves through .NET's ECDiffieHellman.
/// </summary>
internal sealed class KeyShareSecret : IDisposable
{
    private readonly X25519PrivateKeyParameters? _x25519;
    private readonly ECDiffieHellman? _ec;
    private readonly int _coordinate;

    private KeyShareSecret(ushort group, X25519PrivateKeyParameters? x25519, ECDiffieHellman? ec, int coordinate, byte[] publicKey)
    {
        Group = group;
        _x25519 = x25519;
        _ec = ec;
        _coordinate = coordinate;
        PublicKey = publicKey;
    }

    public ushort Group { get; }

    /// <summary>key_exchange: 32 bytes for x25519 (RFC 7748), an uncompressed point for the NIST curves (§4.2.8.2).</summary>
    public byte[] PublicKey { get; }

    /// <summary>Groups this engine computes, in a default client's preference (also the TLS 1.2 ECDHE groups of
    /// <see cref="Probes.Tls12KeyExchange"/>).</summary>
    public static IReadOnlyList<ushort> Groups { get; } =
        [NamedGroups.X25519, NamedGroups.Secp256r1, NamedGroups.Secp384r1, NamedGroups.Secp521r1];

    public static bool Supports(ushort group) => Groups.Contains(group);

    /// <exception cref="ArgumentOutOfRangeException">A group <see cref="Supports"/> refuses.</exception>
    public static KeyShareSecret Create(ushort group)
    {
        if (group == NamedGroups.X25519)
        {
            // 32 random bytes are a private key (RFC 7748 §5: clamped when used); no BouncyCastle SecureRandom per handshake.
            var key = new X25519PrivateKeyParameters(RandomNumberGenerator.GetBytes(X25519PrivateKeyParameters.KeySize));
            return new KeyShareSecret(group, key, null, 32, key.GeneratePublicKey().GetEncoded());
        }

        var (curve, size) = Curve(group) ?? throw new ArgumentOutOfRangeException(nameof(group), group, "group not computed here");
        var ec = ECDiffieHellman.Create(curve);
        var q = ec.ExportParameters(false).Q;
        return new KeyShareSecret(group, null, ec, size, [4, .. q.X!, .. q.Y!]);
    }

    /// <summary>The shared secret, or null when the server's share is not a valid key of the group (the handshake then
    /// fails with illegal_parameter, §4.2.8.1–2) or the x25519 result is all zeros (RFC 7748 §6.1).</summary>
    public byte[]? Agree(ReadOnlySpan<byte> serverShare)
    {
        if (_x25519 is not null)
        {
            if (serverShare.Length != X25519PublicKeyParameters.KeySize)
            {
                return null;
            }

            var secret = new byte[X25519PrivateKeyParameters.SecretSize];
            try
            {
                _x25519.GenerateSecret(new X25519PublicKeyParameters(serverShare), secret, 0);
            }
            catch (InvalidOperationException)
            {
                return null; // BouncyCastle refuses an all-zero result
            }

            return secret.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? null : secret;
        }

        if (serverShare.Length != 1 + 2 * _coordinate || serverShare[0] != 4)
        {
            return null;
        }

        try
        {
            using var server = ECDiffieHellman.Create(new ECParameters
            {
                Curve = Curve(Group)!.Value.Curve,
                Q = new ECPoint { X = serverShare.Slice(1, _coordinate).ToArray(), Y = serverShare.Slice(1 + _coordinate, _coordinate).ToArray() },
            });
            return _ec!.DeriveRawSecretAgreement(server.PublicKey); // the x-coordinate (§7.4.2)
        }
        catch (CryptographicException)
        {
            return null; // not a point on the curve
        }
    }

    public void Dispose() => _ec?.Dispose();

    private static (ECCurve Curve, int Size)? Curve(ushort group) => group switch
    {
        NamedGroups.Secp256r1 => (ECCurve.NamedCurves.nistP256, 32),
        NamedGroups.Secp384r1 => (ECCurve.NamedCurves.nistP384, 48),
        NamedGroups.Secp521r1 => (ECCurve.NamedCurves.nistP521, 66),
        _ => null,
    };
}
