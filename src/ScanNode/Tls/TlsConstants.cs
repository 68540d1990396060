namespace XmppScanCluster.ScanNode.Tls;

/// <summary>TLS record ContentType (RFC 5246 §6.2.1, RFC 6520 for heartbeat).</summary>
public enum TlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
    Heartbeat = 24,
}

/// <summary>HandshakeType (RFC 5246 §7.4, RFC 8446 §4, RFC 6066 §8).</summary>
public enum TlsHandshakeType : byte
{
    HelloRequest = 0,
    ClientHello = 1,
    ServerHello = 2,
    HelloVerifyRequest = 3,
    NewSessionTicket = 4,
    EndOfEarlyData = 5,
    EncryptedExtensions = 8,
    Certificate = 11,
    ServerKeyExchange = 12,
    CertificateRequest = 13,
    ServerHelloDone = 14,
    CertificateVerify = 15,
    ClientKeyExchange = 16,
    Finished = 20,
    CertificateUrl = 21,
    CertificateStatus = 22,
    KeyUpdate = 24,
    MessageHash = 254,
}

/// <summary>ExtensionType values this codec writes or reads (IANA tls-extensiontype-values).</summary>
public static class TlsExtensionType
{
    public const ushort ServerName = 0;
    public const ushort MaxFragmentLength = 1;
    public const ushort StatusRequest = 5;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort Heartbeat = 15;
    public const ushort Alpn = 16;
    public const ushort SignedCertificateTimestamp = 18;
    public const ushort Padding = 21;
    public const ushort EncryptThenMac = 22;
    public const ushort ExtendedMasterSecret = 23;
    public const ushort RecordSizeLimit = 28;
    public const ushort SessionTicket = 35;
    public const ushort PreSharedKey = 41;
    public const ushort EarlyData = 42;
    public const ushort SupportedVersions = 43;
    public const ushort Cookie = 44;
    public const ushort PskKeyExchangeModes = 45;
    public const ushort SignatureAlgorithmsCert = 50;
    public const ushort KeyShare = 51;
    public const ushort RenegotiationInfo = 0xFF01;
}

/// <summary>Alert level (RFC 5246 §7.2).</summary>
public enum TlsAlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}

/// <summary>AlertDescription (RFC 5246 §7.2, RFC 8446 §6, RFC 7507, RFC 6066, RFC 7301).</summary>
public enum TlsAlertDescription : byte
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    DecryptionFailed = 21,
    RecordOverflow = 22,
    DecompressionFailure = 30,
    HandshakeFailure = 40,
    NoCertificate = 41,
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    CertificateRevoked = 44,
    CertificateExpired = 45,
    CertificateUnknown = 46,
    IllegalParameter = 47,
    UnknownCa = 48,
    AccessDenied = 49,
    DecodeError = 50,
    DecryptError = 51,
    ExportRestriction = 60,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    InappropriateFallback = 86,
    UserCanceled = 90,
    NoRenegotiation = 100,
    MissingExtension = 109,
    UnsupportedExtension = 110,
    CertificateUnobtainable = 111,
    UnrecognizedName = 112,
    BadCertificateStatusResponse = 113,
    BadCertificateHashValue = 114,
    UnknownPskIdentity = 115,
    CertificateRequired = 116,
    GeneralError = 117,
    NoApplicationProtocol = 120,
    EchRequired = 121,
}

/// <summary>Outcome of feeding bytes to a parser: never an exception for what a server sends.</summary>
public enum ParseStatus
{
    /// <summary>The bytes so far are a valid prefix; read more.</summary>
    NeedMoreData,
    /// <summary>The bytes cannot be what the protocol allows (or exceed a limit).</summary>
    Invalid,
    /// <summary>A whole item was parsed.</summary>
    Complete,
}

/// <summary>A parser's answer: a status, the value when complete, a short reason when invalid.</summary>
public readonly record struct ParseResult<T>(ParseStatus Status, T? Value, string? Error)
    where T : class
{
    public static ParseResult<T> Ok(T value) => new(ParseStatus.Complete, value, null);

    public static ParseResult<T> Fail(string error) => new(ParseStatus.Invalid, null, error);

    public static ParseResult<T> More => new(ParseStatus.NeedMoreData, null, null);

    public bool IsComplete => Status == ParseStatus.Complete;
}
