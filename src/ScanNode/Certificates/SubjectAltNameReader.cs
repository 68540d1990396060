using System.Net;
using System.Text;
using Org.BouncyCastle.Asn1;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Reads the subjectAltName extension entry by entry, so one odd entry does not lose the others.
/// <code>
/// GeneralName ::= CHOICE {              -- RFC 5280 §4.2.1.6
///     otherName        [0] OtherName,   -- OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
///     rfc822Name       [1] IA5String,
///     dNSName          [2] IA5String,
///     x400Address      [3] ORAddress,
///     directoryName    [4] Name,
///     ediPartyName     [5] EDIPartyName,
///     uniformResourceIdentifier [6] IA5String,
///     iPAddress        [7] OCTET STRING,
///     registeredID     [8] OBJECT IDENTIFIER }
/// </code>
/// </summary>
internal static class SubjectAltNameReader
{
    /// <summary>More entries than this is hostile or broken; real certificates carry at most a few hundred.</summary>
    public const int MaxEntries = 1000;

    /// <summary>A DNS name is at most 253 characters; a JID at most 3071 bytes (RFC 7622 §3.1). Longer is rejected.</summary>
    public const int MaxValueLength = 3072;

    /// <summary>id-on-dnsSRV (RFC 4985 §2).</summary>
    public const string SrvNameOid = "1.3.6.1.5.5.7.8.7";

    /// <summary>id-on-xmppAddr (RFC 6120 §13.7.1.4).</summary>
    public const string XmppAddrOid = "1.3.6.1.5.5.7.8.5";

    /// <summary>Reads the entries; false with an error when the extension breaks a bound or is not a SEQUENCE.</summary>
    public static bool TryRead(byte[] extensionValue, out IReadOnlyList<SubjectAltName> names, out string? error)
    {
        names = [];
        Asn1Sequence sequence;
        try
        {
            sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(extensionValue));
        }
        catch (Exception e)
        {
            error = $"malformed subjectAltName extension: {TextSanitizer.Clean(e.Message, 200)}";
            return false;
        }

        if (sequence.Count > MaxEntries)
        {
            error = $"subjectAltName has {sequence.Count} entries (limit {MaxEntries})";
            return false;
        }

        var result = new List<SubjectAltName>(sequence.Count);
        foreach (var element in sequence)
        {
            if (element is not Asn1TaggedObject tagged)
            {
                continue; // Not a GeneralName: skip leniently.
            }

            var name = ReadOne(tagged);
            if (name is null)
            {
                continue;
            }

            if (name.Value.Length > MaxValueLength)
            {
                error = $"subjectAltName entry of {name.Value.Length} characters (limit {MaxValueLength})";
                return false;
            }

            result.Add(name with { Value = TextSanitizer.Clean(name.Value, MaxValueLength) });
        }

        names = result;
        error = null;
        return true;
    }

    private static SubjectAltName? ReadOne(Asn1TaggedObject tagged)
    {
        try
        {
            return tagged.TagNo switch
            {
                0 => ReadOtherName(tagged.GetBaseObject().ToAsn1Object()),
                1 => new(SubjectAltNameType.Email, Text(tagged.GetBaseObject().ToAsn1Object(), 0)),
                2 => new(SubjectAltNameType.DnsName, Text(tagged.GetBaseObject().ToAsn1Object(), 0)),
                6 => new(SubjectAltNameType.Uri, Text(tagged.GetBaseObject().ToAsn1Object(), 0)),
                7 => new(SubjectAltNameType.IpAddress, IpText(tagged.GetBaseObject().ToAsn1Object())),
                _ => new(SubjectAltNameType.OtherName, $"[{tagged.TagNo}]"),
            };
        }
        catch (Exception)
        {
            return null; // One undecodable entry: skip it, keep the rest.
        }
    }

    private static SubjectAltName? ReadOtherName(Asn1Object content)
    {
        if (content is not Asn1Sequence { Count: >= 2 } seq || seq[0] is not DerObjectIdentifier typeId)
        {
            return null;
        }

        var value = Text(seq[1], 0);
        return typeId.Id switch
        {
            SrvNameOid => new(SubjectAltNameType.SrvName, value),
            XmppAddrOid => new(SubjectAltNameType.XmppAddr, value),
            _ => new(SubjectAltNameType.OtherName, $"{typeId.Id}={Convert.ToHexStringLower(seq[1].ToAsn1Object().GetEncoded())}"),
        };
    }

    /// <summary>
    /// The string inside an entry, accepting the encodings seen in the wild: the correct <c>[0] EXPLICIT UTF8String</c>,
    /// an implicitly tagged primitive whose contents are the raw bytes, and a string of the "wrong" type
    /// (IA5String for XmppAddr, UTF8String for SRVName).
    /// </summary>
    private static string Text(Asn1Encodable encodable, int depth)
    {
        var obj = encodable.ToAsn1Object();
        return obj switch
        {
            Asn1OctetString octets => Encoding.UTF8.GetString(octets.GetOctets()),
            IAsn1String s => s.GetString(),
            Asn1TaggedObject inner when depth < 3 => Text(inner.GetBaseObject(), depth + 1),
            _ => string.Empty,
        };
    }

    private static string IpText(Asn1Object obj)
    {
        var bytes = obj is Asn1OctetString octets ? octets.GetOctets() : [];
        return bytes.Length is 4 or 16 ? new IPAddress(bytes).ToString() : Convert.ToHexStringLower(bytes);
    }
}
