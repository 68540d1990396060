using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Reads the informational extensions (RFC 5280 §4.2) leniently: a malformed non-critical extension yields
/// an empty answer rather than losing the certificate. URLs are recorded, never fetched.
/// </summary>
internal static class ExtensionReader
{
    private const int MaxUrls = 32;

    private static readonly string[] KeyUsageNames =
    [
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
    ];

    private static readonly Dictionary<string, string> EkuNames = new()
    {
        ["1.3.6.1.5.5.7.3.1"] = "serverAuth",
        ["1.3.6.1.5.5.7.3.2"] = "clientAuth",
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        ["2.5.29.37.0"] = "anyExtendedKeyUsage",
    };

    /// <summary>The DER inside the extension's OCTET STRING, or null when absent.</summary>
    public static byte[]? Value(X509Extensions? extensions, DerObjectIdentifier oid) =>
        extensions?.GetExtension(oid)?.Value.GetOctets();

    public static IReadOnlyList<string> KeyUsage(bool[]? bits)
    {
        if (bits is null)
        {
            return [];
        }

        var names = new List<string>();
        for (var i = 0; i < bits.Length && i < KeyUsageNames.Length; i++)
        {
            if (bits[i])
            {
                names.Add(KeyUsageNames[i]);
            }
        }

        return names;
    }

    public static IReadOnlyList<string> ExtendedKeyUsage(X509Extensions? extensions)
    {
        var names = new List<string>();
        Try(extensions, X509Extensions.ExtendedKeyUsage, value =>
        {
            foreach (var element in Asn1Sequence.GetInstance(value))
            {
                if (element is DerObjectIdentifier oid && names.Count < MaxUrls)
                {
                    names.Add(EkuNames.GetValueOrDefault(oid.Id, oid.Id));
                }
            }
        });
        return names;
    }

    /// <summary>basicConstraints: (cA, pathLenConstraint) — RFC 5280 §4.2.1.9.</summary>
    public static (bool IsCa, int? PathLength) BasicConstraints(X509Extensions? extensions)
    {
        (bool, int?) result = (false, null);
        Try(extensions, X509Extensions.BasicConstraints, value =>
        {
            var bc = Org.BouncyCastle.Asn1.X509.BasicConstraints.GetInstance(value);
            var path = bc.PathLenConstraint;
            int? pathLength = path is null ? null : path.BitLength < 31 ? path.IntValue : int.MaxValue;
            result = (bc.IsCA(), pathLength);
        });
        return result;
    }

    /// <summary>Authority Information Access (RFC 5280 §4.2.2.1): OCSP and caIssuers URLs.</summary>
    public static (IReadOnlyList<string> Ocsp, IReadOnlyList<string> CaIssuers) AuthorityInfoAccess(X509Extensions? extensions)
    {
        var ocsp = new List<string>();
        var caIssuers = new List<string>();
        Try(extensions, X509Extensions.AuthorityInfoAccess, value =>
        {
            foreach (var description in AuthorityInformationAccess.GetInstance(value).GetAccessDescriptions())
            {
                var target = description.AccessMethod.Equals(AccessDescription.IdADOcsp) ? ocsp
                    : description.AccessMethod.Equals(AccessDescription.IdADCAIssuers) ? caIssuers
                    : null;
                AddUri(target, description.AccessLocation);
            }
        });
        return (ocsp, caIssuers);
    }

    /// <summary>cRLDistributionPoints (RFC 5280 §4.2.1.13): the fullName URIs.</summary>
    public static IReadOnlyList<string> CrlUrls(X509Extensions? extensions)
    {
        var urls = new List<string>();
        Try(extensions, X509Extensions.CrlDistributionPoints, value =>
        {
            foreach (var point in CrlDistPoint.GetInstance(value).GetDistributionPoints())
            {
                if (point.DistributionPointName is { Type: DistributionPointName.FullName } name)
                {
                    foreach (var general in GeneralNames.GetInstance(name.Name).GetNames())
                    {
                        AddUri(urls, general);
                    }
                }
            }
        });
        return urls;
    }

    public static byte[]? SubjectKeyId(X509Extensions? extensions)
    {
        byte[]? id = null;
        Try(extensions, X509Extensions.SubjectKeyIdentifier, value => id = SubjectKeyIdentifier.GetInstance(value).GetKeyIdentifier());
        return id;
    }

    public static byte[]? AuthorityKeyId(X509Extensions? extensions)
    {
        byte[]? id = null;
        Try(extensions, X509Extensions.AuthorityKeyIdentifier, value => id = AuthorityKeyIdentifier.GetInstance(value).KeyIdentifier?.GetOctets());
        return id;
    }

    private static void AddUri(List<string>? target, GeneralName? name)
    {
        if (target is not null && target.Count < MaxUrls && name is { TagNo: GeneralName.UniformResourceIdentifier }
            && name.Name is IAsn1String uri)
        {
            target.Add(TextSanitizer.Clean(uri.GetString()));
        }
    }

    private static void Try(X509Extensions? extensions, DerObjectIdentifier oid, Action<Asn1Object> read)
    {
        try
        {
            var value = Value(extensions, oid);
            if (value is not null)
            {
                read(Asn1Object.FromByteArray(value));
            }
        }
        catch (Exception)
        {
            // Malformed informational extension: leave the answer empty (the certificate stays usable).
        }
    }
}
