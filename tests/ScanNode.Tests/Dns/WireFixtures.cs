using System.Text;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>
/// Hand-written responses, field by field (RFC 1035 §4.1). Offsets in the comments are from the start of the
/// message; compression pointers (0xC0 | offset) refer to them.
/// </summary>
internal static class WireFixtures
{
    internal const ushort Id = 0xBEEF;

    /// <summary>A label: its length octet, then its ASCII octets.</summary>
    internal static byte[] L(string label) => [(byte)label.Length, .. Encoding.ASCII.GetBytes(label)];

    internal static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>The 12-octet header of a NOERROR response, RD RA set, with the given counts.</summary>
    internal static byte[] Header(ushort qd = 1, ushort an = 1, ushort ns = 0, ushort ar = 0, byte flagsLow = 0x80) =>
    [
        0xBE, 0xEF,                 // +0  ID
        0x81, flagsLow,             // +2  QR=1 OPCODE=0 AA=0 TC=0 RD=1 | RA=1 Z=0 AD=0 CD=0 RCODE=0
        0x00, (byte)qd,             // +4  QDCOUNT
        0x00, (byte)an,             // +6  ANCOUNT
        0x00, (byte)ns,             // +8  NSCOUNT
        0x00, (byte)ar,             // +10 ARCOUNT
    ];

    /// <summary>example.org A → 192.0.2.1, owner compressed to the question; AD set.</summary>
    internal static readonly byte[] AAnswer = Cat(
        Header(flagsLow: 0xA0),             // RA=1, AD=1
        L("example"), L("org"), [0x00],     // +12 QNAME example.org (13 octets)
        [0x00, 0x01, 0x00, 0x01],           // +25 QTYPE A, QCLASS IN
        [0xC0, 0x0C],                       // +29 NAME → offset 12
        [0x00, 0x01, 0x00, 0x01],           //     TYPE A, CLASS IN
        [0x00, 0x00, 0x0E, 0x10],           //     TTL 3600
        [0x00, 0x04],                       //     RDLENGTH 4
        [192, 0, 2, 1]);                    //     ADDRESS

    /// <summary>example.org AAAA → 2001:db8::1.</summary>
    internal static readonly byte[] AaaaAnswer = Cat(
        Header(),
        L("example"), L("org"), [0x00],     // +12 QNAME
        [0x00, 0x1C, 0x00, 0x01],           // +25 QTYPE AAAA, QCLASS IN
        [0xC0, 0x0C],                       // +29 NAME → 12
        [0x00, 0x1C, 0x00, 0x01],           //     TYPE AAAA, CLASS IN
        [0x00, 0x00, 0x01, 0x2C],           //     TTL 300
        [0x00, 0x10],                       //     RDLENGTH 16
        [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]); // ADDRESS 2001:db8::1

    /// <summary>_xmpp-client._tcp.example.org SRV 5 10 5222 xmpp.example.org, the target compressed to "example.org" at +30.</summary>
    internal static readonly byte[] SrvAnswer = Cat(
        Header(),
        L("_xmpp-client"), L("_tcp"),       // +12 QNAME: 13 + 5 octets
        L("example"), L("org"), [0x00],     // +30 example.org
        [0x00, 0x21, 0x00, 0x01],           // +43 QTYPE SRV, QCLASS IN
        [0xC0, 0x0C],                       // +47 NAME → 12
        [0x00, 0x21, 0x00, 0x01],           //     TYPE SRV, CLASS IN
        [0x00, 0x00, 0x0E, 0x10],           //     TTL 3600
        [0x00, 0x0D],                       //     RDLENGTH 13 = 6 + 5 ("xmpp") + 2 (pointer)
        [0x00, 0x05],                       //     PRIORITY 5
        [0x00, 0x0A],                       //     WEIGHT 10
        [0x14, 0x66],                       //     PORT 5222
        L("xmpp"), [0xC0, 0x1E]);           //     TARGET xmpp + → 30 (example.org)

    /// <summary>_5222._tcp.xmpp.example.org TLSA 3 1 1 with 4 octets of association data.</summary>
    internal static readonly byte[] TlsaAnswer = Cat(
        Header(),
        L("_5222"), L("_tcp"), L("xmpp"), L("example"), L("org"), [0x00], // +12 QNAME
        [0x00, 0x34, 0x00, 0x01],           // QTYPE TLSA (52), QCLASS IN
        [0xC0, 0x0C],                       // NAME → 12
        [0x00, 0x34, 0x00, 0x01],           // TYPE TLSA, CLASS IN
        [0x00, 0x00, 0x00, 0x3C],           // TTL 60
        [0x00, 0x07],                       // RDLENGTH 3 + 4
        [0x03, 0x01, 0x01],                 // USAGE DANE-EE, SELECTOR SPKI, MATCHING SHA-256
        [0xDE, 0xAD, 0xBE, 0xEF]);          // CERTIFICATE ASSOCIATION DATA

    /// <summary>1.2.0.192.in-addr.arpa PTR xmpp.example.org (uncompressed target).</summary>
    internal static readonly byte[] PtrAnswer = Cat(
        Header(),
        L("1"), L("2"), L("0"), L("192"), L("in-addr"), L("arpa"), [0x00], // +12 QNAME
        [0x00, 0x0C, 0x00, 0x01],           // QTYPE PTR, QCLASS IN
        [0xC0, 0x0C],                       // NAME → 12
        [0x00, 0x0C, 0x00, 0x01],           // TYPE PTR, CLASS IN
        [0x00, 0x00, 0x0E, 0x10],           // TTL 3600
        [0x00, 0x12],                       // RDLENGTH 18
        L("xmpp"), L("example"), L("org"), [0x00]); // PTRDNAME

    /// <summary>www.example.org A: CNAME to xmpp.example.org, then its A 192.0.2.7, both compressed.</summary>
    internal static readonly byte[] CnameAnswer = Cat(
        Header(an: 2),
        L("www"), L("example"), L("org"), [0x00], // +12 QNAME (17 octets); example.org at +16
        [0x00, 0x01, 0x00, 0x01],           // +29 QTYPE A, QCLASS IN
        [0xC0, 0x0C],                       // +33 NAME → 12 (www.example.org)
        [0x00, 0x05, 0x00, 0x01],           // +35 TYPE CNAME, CLASS IN
        [0x00, 0x00, 0x00, 0x78],           // +39 TTL 120
        [0x00, 0x07],                       // +43 RDLENGTH 7
        L("xmpp"), [0xC0, 0x10],            // +45 CNAME xmpp + → 16 (example.org); xmpp.example.org at +45
        [0xC0, 0x2D],                       // +52 NAME → 45
        [0x00, 0x01, 0x00, 0x01],           //     TYPE A, CLASS IN
        [0x00, 0x00, 0x0E, 0x10],           //     TTL 3600
        [0x00, 0x04],                       //     RDLENGTH 4
        [192, 0, 2, 7]);                    //     ADDRESS

    /// <summary>nothing.example.org A → NXDOMAIN, no records.</summary>
    internal static readonly byte[] NxDomainAnswer = Cat(
        [0xBE, 0xEF, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], // ID, QR RD RA RCODE=3, QD=1
        L("nothing"), L("example"), L("org"), [0x00],
        [0x00, 0x01, 0x00, 0x01]);
}
