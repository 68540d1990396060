using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// The channel-binding values the harness can compute for its own end of one TLS connection, to compare with what a
/// SCRAM-PLUS client put into <c>c=</c>. tls-server-end-point (RFC 5929 §4.1) is a hash of our own certificate;
/// tls-unique (RFC 5929 §3.1) comes from .NET's <see cref="ChannelBindingKind.Unique"/>; tls-exporter (RFC 9266)
/// needs a keying-material exporter that .NET does not expose, so it is "not verified".
/// </summary>
public sealed record TlsChannelBindings(byte[]? ServerEndPoint, byte[]? Unique, SslProtocols Protocol)
{
    public static TlsChannelBindings None { get; } = new(null, null, SslProtocols.None);

    /// <summary>The words of <see cref="Check"/> for equal data.</summary>
    public const string Matches = "matches";

    /// <summary>How <see cref="Check"/> begins when the harness cannot compute the value.</summary>
    public const string NotVerified = "not verified";

    public static TlsChannelBindings From(SslStream tls) =>
        new(tls.LocalCertificate is { } cert ? ServerEndPointOf(X509CertificateLoader.LoadCertificate(cert.GetRawCertData())) : null,
            UniqueOf(tls), tls.SslProtocol);

    /// <summary>
    /// RFC 5929 §4.1: the hash of the DER certificate with the hash of its signature algorithm, SHA-256 where that is
    /// MD5 or SHA-1 (so the harness's SHA-1-signed leaf hashes with SHA-256).
    /// </summary>
    public static byte[] ServerEndPointOf(X509Certificate2 certificate) => certificate.SignatureAlgorithm.Value switch
    {
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => SHA384.HashData(certificate.RawData),
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => SHA512.HashData(certificate.RawData),
        _ => SHA256.HashData(certificate.RawData),
    };

    /// <summary>
    /// What the harness concludes about the client's cbind-data for this type: "matches", "does not match", or
    /// "not verified (…)" when the harness cannot compute the value.
    /// </summary>
    public string Check(string type, byte[] data)
    {
        var expected = type switch
        {
            "tls-server-end-point" => ServerEndPoint,
            "tls-unique" => Unique,
            _ => null,
        };
        if (expected is null)
        {
            return type switch
            {
                "tls-exporter" => NotVerified + " (.NET exposes no TLS exporter)",
                "tls-unique" => NotVerified + " (.NET gave no tls-unique value)",
                _ => NotVerified + " (unknown type)",
            };
        }

        return CryptographicOperations.FixedTimeEquals(expected, data) ? Matches : "does not match";
    }

    /// <summary>
    /// The Finished message .NET hands out as tls-unique. Its ChannelBinding handle holds a SEC_CHANNEL_BINDINGS header
    /// and then "tls-unique:" followed by the value (the SSPI layout, kept on Linux too): the value is what follows the
    /// prefix. Null when the platform gives none (e.g. no TransportContext).
    /// </summary>
    private static byte[]? UniqueOf(SslStream tls)
    {
        try
        {
            using var binding = tls.TransportContext?.GetChannelBinding(ChannelBindingKind.Unique);
            if (binding is null || binding.IsInvalid || binding.Size <= 0 || binding.Size > 4096)
            {
                return null;
            }

            var bytes = new byte[binding.Size];
            Marshal.Copy(binding.DangerousGetHandle(), bytes, 0, bytes.Length);
            var prefix = Encoding.ASCII.GetBytes("tls-unique:");
            var at = bytes.AsSpan().IndexOf(prefix);
            return at < 0 ? null : bytes[(at + prefix.Length)..];
        }
        catch (Exception e) when (e is NotSupportedException or PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
