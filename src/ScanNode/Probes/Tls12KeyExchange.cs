using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// The client side of the TLS 1.2 key exchanges <see cref="Tls12FullHandshake"/> finishes: ClientKeyExchange
/// and the pre-master secret for static RSA (RFC 5246 §7.4.7.1), ephemeral DH (§7.4.7.2, §8.1.2) and ECDHE on
/// x25519 (RFC 7748, through BouncyCastle's primitive) or secp256r1/384r1/521r1 (.NET's ECDiffieHellman,
/// RFC 8422 §5.7). Null when the server's parameters are unusable (a point off the curve, an implausible prime).
/// </summary>
internal static class Tls12KeyExchange
{
    /// <summary>The ECDHE groups this client can finish, in offer order.</summary>
    public static IReadOnlyList<ushort> Groups => KeyShareSecret.Groups;

    /// <summary>The largest prime this client computes with: ffdhe8192's (RFC 7919 Appendix A.5). A server's p is a
    /// 16-bit vector, so a hostile one could ask for two exponentiations modulo a 524,280-bit number.</summary>
    private const int MaxPrimeBytes = 8192 / 8;

    /// <summary>Groups whose client share <see cref="ShareFor"/> keeps (real servers use a handful: RFC 7919's, RFC 3526's,
    /// OpenSSL's and ejabberd's defaults).</summary>
    private const int MaxShares = 32;

    private static readonly ConcurrentDictionary<(BigInteger P, BigInteger G), DheShare> Shares = new();

    /// <summary>The ClientKeyExchange message and the pre-master secret, or null if the parameters are unusable.</summary>
    public static (byte[] Message, byte[] PreMaster)? Create(Tls12CipherSpec spec, HandshakeResult flight)
    {
        var body = spec.KeyExchange switch
        {
            KeyExchange.Rsa => Rsa(flight),
            KeyExchange.Dhe => Dhe(flight.ServerKeyExchange),
            KeyExchange.Ecdhe => Ecdhe(flight.ServerKeyExchange),
            _ => null,
        };
        return body is var (message, preMaster)
            ? ([(byte)TlsHandshakeType.ClientKeyExchange, (byte)(message.Length >> 16), (byte)(message.Length >> 8), (byte)message.Length, .. message], preMaster)
            : null;
    }

    private static (byte[] Body, byte[] PreMaster)? Rsa(HandshakeResult flight)
    {
        if (flight.Certificates.IsEmpty)
        {
            return null;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(flight.Certificates[0].AsSpan());
            using var rsa = cert.GetRSAPublicKey();
            if (rsa is null)
            {
                return null;
            }

            // PreMasterSecret = client_version(2) + random(46); EncryptedPreMasterSecret<0..2^16-1> (RFC 5246 §7.4.7.1).
            byte[] preMaster = [0x03, 0x03, .. RandomNumberGenerator.GetBytes(46)];
            var encrypted = rsa.Encrypt(preMaster, RSAEncryptionPadding.Pkcs1);
            return (Vector16(encrypted), preMaster);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Yc = g^x mod p; Z = Ys^x mod p with leading zero bytes stripped (RFC 5246 §8.1.2). Ys must lie in
    /// (1, p-1) (RFC 7919 §5.1's check; anything else is not a usable share).</summary>
    private static (byte[] Body, byte[] PreMaster)? Dhe(ServerKeyExchange? ske)
    {
        if (ske is not { Kind: ServerKeyExchangeKind.Dhe, DhP: { } pBytes, DhG: { } gBytes, DhYs: { } ysBytes }
            || pBytes.Length > MaxPrimeBytes)
        {
            return null;
        }

        var p = new BigInteger(pBytes.AsSpan(), isUnsigned: true, isBigEndian: true);
        var g = new BigInteger(gBytes.AsSpan(), isUnsigned: true, isBigEndian: true);
        var ys = new BigInteger(ysBytes.AsSpan(), isUnsigned: true, isBigEndian: true);
        if (p < 7 || p.IsEven || g <= 1 || g >= p - 1 || ys <= 1 || ys >= p - 1)
        {
            return null;
        }

        var share = ShareFor(p, g);
        var z = BigInteger.ModPow(ys, share.X, p).ToByteArray(isUnsigned: true, isBigEndian: true);
        return (Vector16(share.Yc), z); // dh_Yc<1..2^16-1>
    }

    /// <summary>This client's secret and public value for group (p, g), made once per group and process: the sessions are
    /// probes that carry no secret, so one exponentiation of the two per handshake (≈ 3 ms with .NET's BigInteger for a
    /// 2048-bit p and a 232-bit exponent) need not be repeated. At most <see cref="MaxShares"/> groups are kept, so a
    /// server sending a new prime every time cannot grow the table.</summary>
    private static DheShare ShareFor(BigInteger p, BigInteger g)
    {
        if (Shares.TryGetValue((p, g), out var share))
        {
            return share;
        }

        var x = new BigInteger(RandomNumberGenerator.GetBytes(ShortExponentBytes(p.GetBitLength())), isUnsigned: true, isBigEndian: true);
        share = new DheShare(x, BigInteger.ModPow(g, x, p).ToByteArray(isUnsigned: true, isBigEndian: true));
        if (Shares.Count < MaxShares)
        {
            Shares.TryAdd((p, g), share);
        }

        return share;
    }

    private sealed record DheShare(BigInteger X, byte[] Yc);

    /// <summary>The secret exponent's size: RFC 7919 §5.2 allows a short exponent, at least the size Appendix A gives
    /// for the group (225 bits for 2048-bit primes up to 400 for 8192-bit ones). A full-size one costs ~8× the CPU, and
    /// these sessions are probes that carry no secret: this was 29 % of a depth-full census's CPU (bench/endpoints).</summary>
    private static int ShortExponentBytes(long primeBits) => primeBits switch
    {
        <= 2048 => 29,
        <= 3072 => 35,
        <= 4096 => 41,
        <= 6144 => 47,
        _ => 50,
    };

    /// <summary>ECDHE (RFC 8422 §5.7): a fresh key pair in the server's group, the public key as ECPoint ecdh_Yc&lt;1..2^8-1&gt;
    /// (x25519's 32 bytes, RFC 8422 §5.11; an uncompressed NIST point) and the shared secret as the pre-master secret —
    /// the same computation as a TLS 1.3 key share (<see cref="KeyShareSecret"/>).</summary>
    private static (byte[] Body, byte[] PreMaster)? Ecdhe(ServerKeyExchange? ske)
    {
        if (ske is not { Kind: ServerKeyExchangeKind.Ecdhe, NamedCurve: { } group, EcPoint: { } point } || !KeyShareSecret.Supports(group))
        {
            return null;
        }

        using var mine = KeyShareSecret.Create(group);
        return mine.Agree(point.AsSpan()) is { } preMaster ? ([(byte)mine.PublicKey.Length, .. mine.PublicKey], preMaster) : null;
    }

    private static byte[] Vector16(byte[] value) => [(byte)(value.Length >> 8), (byte)value.Length, .. value];
}
