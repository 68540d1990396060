using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// One ClientHello extension as data: its type and the bytes of <c>extension_data</c> (RFC 8446 §4.2).
/// <paramref name="PadToLength"/> marks the RFC 7685 padding extension, whose size the builder computes.
/// </summary>
public sealed record ClientHelloExtension(ushort Type, ImmutableArray<byte> Data, int PadToLength = 0)
{
    /// <summary>Builds an extension whose data is written by <paramref name="write"/>.</summary>
    public static ClientHelloExtension Create(ushort type, Action<TlsWriter> write)
    {
        using var w = new TlsWriter(64);
        write(w);
        return new ClientHelloExtension(type, [.. w.WrittenSpan]);
    }

    /// <summary>An extension with empty data (EMS, session_ticket without ticket, encrypt_then_mac…).</summary>
    public static ClientHelloExtension Empty(ushort type) => new(type, []);

    /// <summary>server_name with one host_name entry (RFC 6066 §3). The name is an A-label.</summary>
    public static ClientHelloExtension ServerName(string hostName) => Create(TlsExtensionType.ServerName, w =>
    {
        var list = w.BeginVector16();
        w.WriteUInt8(0); // name_type host_name
        w.WriteVector(2, Encoding.ASCII.GetBytes(hostName));
        w.EndVector(list);
    });

    /// <summary>supported_groups (RFC 8446 §4.2.7; "elliptic_curves" in RFC 4492).</summary>
    public static ClientHelloExtension SupportedGroups(IEnumerable<ushort> groups) =>
        Create(TlsExtensionType.SupportedGroups, w => WriteList16(w, groups));

    /// <summary>ec_point_formats (RFC 8422 §5.1.2): uncompressed, ansiX962_compressed_prime, …_char2.</summary>
    public static ClientHelloExtension EcPointFormats(params byte[] formats) =>
        Create(TlsExtensionType.EcPointFormats, w => w.WriteVector(1, formats));

    /// <summary>signature_algorithms (RFC 8446 §4.2.3; TLS 1.2 hash/signature pairs have the same layout).</summary>
    public static ClientHelloExtension SignatureAlgorithms(IEnumerable<ushort> schemes) =>
        Create(TlsExtensionType.SignatureAlgorithms, w => WriteList16(w, schemes));

    /// <summary>signature_algorithms_cert (RFC 8446 §4.2.3).</summary>
    public static ClientHelloExtension SignatureAlgorithmsCert(IEnumerable<ushort> schemes) =>
        Create(TlsExtensionType.SignatureAlgorithmsCert, w => WriteList16(w, schemes));

    /// <summary>application_layer_protocol_negotiation (RFC 7301 §3.1).</summary>
    public static ClientHelloExtension Alpn(params string[] protocols) => Create(TlsExtensionType.Alpn, w =>
    {
        var list = w.BeginVector16();
        foreach (var p in protocols)
        {
            w.WriteVector(1, Encoding.ASCII.GetBytes(p));
        }

        w.EndVector(list);
    });

    /// <summary>renegotiation_info with an empty renegotiated_connection (RFC 5746 §3.4, initial handshake).</summary>
    public static ClientHelloExtension RenegotiationInfo() =>
        Create(TlsExtensionType.RenegotiationInfo, w => w.WriteVector(1, []));

    /// <summary>extended_master_secret (RFC 7627).</summary>
    public static ClientHelloExtension ExtendedMasterSecret() => Empty(TlsExtensionType.ExtendedMasterSecret);

    /// <summary>encrypt_then_mac (RFC 7366).</summary>
    public static ClientHelloExtension EncryptThenMac() => Empty(TlsExtensionType.EncryptThenMac);

    /// <summary>session_ticket, empty (RFC 5077 §3.2: asks for a new ticket).</summary>
    public static ClientHelloExtension SessionTicket() => Empty(TlsExtensionType.SessionTicket);

    /// <summary>status_request for OCSP with no responder ids and no extensions (RFC 6066 §8).</summary>
    public static ClientHelloExtension StatusRequest() => Create(TlsExtensionType.StatusRequest, w =>
    {
        w.WriteUInt8(1); // status_type ocsp
        w.WriteUInt16(0); // responder_id_list
        w.WriteUInt16(0); // request_extensions
    });

    /// <summary>heartbeat (RFC 6520 §2): 1 = peer_allowed_to_send, 2 = peer_not_allowed_to_send.</summary>
    public static ClientHelloExtension Heartbeat(byte mode = 1) =>
        Create(TlsExtensionType.Heartbeat, w => w.WriteUInt8(mode));

    /// <summary>padding (RFC 7685): the builder grows it so the ClientHello message is <paramref name="targetLength"/> bytes.</summary>
    public static ClientHelloExtension Padding(int targetLength = 512) => new(TlsExtensionType.Padding, [], targetLength);

    /// <summary>psk_key_exchange_modes (RFC 8446 §4.2.9): 1 = psk_dhe_ke.</summary>
    public static ClientHelloExtension PskKeyExchangeModes(params byte[] modes) =>
        Create(TlsExtensionType.PskKeyExchangeModes, w => w.WriteVector(1, modes.Length == 0 ? [1] : modes));

    /// <summary>supported_versions, client form (RFC 8446 §4.2.1), highest first.</summary>
    public static ClientHelloExtension SupportedVersions(IEnumerable<TlsVersion> versions) =>
        Create(TlsExtensionType.SupportedVersions, w =>
        {
            var list = w.BeginVector8();
            foreach (var v in versions)
            {
                w.WriteUInt16((ushort)v);
            }

            w.EndVector(list);
        });

    /// <summary>
    /// key_share, client form (RFC 8446 §4.2.8), with one fresh, valid public key per group: X25519 and X448
    /// take random bytes (every string is a valid u-coordinate, RFC 7748 §5); secp256r1/384r1/521r1 a real
    /// uncompressed point from <see cref="ECDiffieHellman"/> (RFC 8446 §4.2.8.2). Other groups are skipped.
    /// No private key is kept: probes never finish a handshake.
    /// </summary>
    public static ClientHelloExtension KeyShare(IEnumerable<ushort> groups) => Create(TlsExtensionType.KeyShare, w =>
    {
        var list = w.BeginVector16();
        foreach (var g in groups)
        {
            var key = PublicKeyFor(g);
            if (key is null)
            {
                continue;
            }

            w.WriteUInt16(g);
            w.WriteVector(2, key);
        }

        w.EndVector(list);
    });

    /// <summary>A valid public key for the group, or null if this codec cannot make one.</summary>
    public static byte[]? PublicKeyFor(ushort group)
    {
        switch (group)
        {
            case NamedGroups.X25519:
                return RandomNumberGenerator.GetBytes(32);
            case NamedGroups.X448:
                return RandomNumberGenerator.GetBytes(56);
            case NamedGroups.Secp256r1:
                return [.. P256.Value];
            case NamedGroups.Secp384r1:
                return [.. P384.Value];
            case NamedGroups.Secp521r1:
                return [.. P521.Value];
            default:
                return null;
        }
    }

    // One NIST point per curve for the process: a probe's hello only reads the server's answer and never derives a
    // secret from its share (the private key is dropped at once), so a fresh key pair per TLS 1.3 hello bought
    // nothing and cost an EC key generation per connection (issue 14). Callers get their own copy.
    private static readonly Lazy<byte[]> P256 = new(() => EcPoint(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<byte[]> P384 = new(() => EcPoint(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<byte[]> P521 = new(() => EcPoint(ECCurve.NamedCurves.nistP521));

    private static byte[] EcPoint(ECCurve curve)
    {
        using var ecdh = ECDiffieHellman.Create(curve);
        var p = ecdh.ExportParameters(false).Q;
        var point = new byte[1 + p.X!.Length + p.Y!.Length];
        point[0] = 4; // uncompressed (SEC 1 §2.3.3)
        p.X.CopyTo(point, 1);
        p.Y.CopyTo(point, 1 + p.X.Length);
        return point;
    }

    private static void WriteList16(TlsWriter w, IEnumerable<ushort> values)
    {
        var list = w.BeginVector16();
        foreach (var v in values)
        {
            w.WriteUInt16(v);
        }

        w.EndVector(list);
    }
}
