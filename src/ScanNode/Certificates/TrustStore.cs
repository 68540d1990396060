namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Trust anchors (self-signed certificates) and known intermediates (any other certificate found in the file),
/// loaded from PEM bundles. Intermediates are never anchors: they only let the evaluator tell an incomplete
/// chain from an unknown issuer. Certificates that do not parse are skipped and counted.
/// </summary>
public sealed class TrustStore
{
    /// <summary>The Debian/Ubuntu bundle maintained by ca-certificates.</summary>
    public const string SystemBundlePath = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>Larger PEM files are refused (the Mozilla bundle is about 200 KiB).</summary>
    public const long MaxPemFileBytes = 16L * 1024 * 1024;

    private readonly Dictionary<string, List<ParsedCertificate>> _bySubject;
    private readonly HashSet<string> _anchorHashes;

    private TrustStore(IReadOnlyList<ParsedCertificate> anchors, IReadOnlyList<ParsedCertificate> intermediates, int skipped)
    {
        Anchors = anchors;
        Intermediates = intermediates;
        Skipped = skipped;
        _anchorHashes = new HashSet<string>(anchors.Select(a => a.Sha256), StringComparer.Ordinal);
        _bySubject = new Dictionary<string, List<ParsedCertificate>>(StringComparer.Ordinal);
        foreach (var cert in anchors.Concat(intermediates))
        {
            if (!_bySubject.TryGetValue(cert.SubjectKey, out var list))
            {
                _bySubject[cert.SubjectKey] = list = [];
            }

            list.Add(cert);
        }
    }

    /// <summary>An empty store: nothing is trusted.</summary>
    public static TrustStore Empty { get; } = new([], [], 0);

    /// <summary>Anchors plus intermediates.</summary>
    public int Count => Anchors.Count + Intermediates.Count;

    /// <summary>PEM blocks that could not be parsed as certificates.</summary>
    public int Skipped { get; }

    internal IReadOnlyList<ParsedCertificate> Anchors { get; }

    internal IReadOnlyList<ParsedCertificate> Intermediates { get; }

    /// <summary>Loads a PEM bundle; throws <see cref="InvalidDataException"/> or an I/O exception when it cannot.</summary>
    public static TrustStore LoadPemFile(string path) =>
        TryLoadPemFile(path, out var store, out var error) ? store! : throw new InvalidDataException(error);

    /// <summary>The system bundle at <see cref="SystemBundlePath"/>.</summary>
    public static TrustStore LoadSystem() => LoadPemFile(SystemBundlePath);

    /// <summary>Loads a PEM bundle without throwing.</summary>
    public static bool TryLoadPemFile(string path, out TrustStore? store, out string? error)
    {
        store = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"trust store file not found: {path}";
                return false;
            }

            if (info.Length > MaxPemFileBytes)
            {
                error = $"trust store file too large: {info.Length} bytes (limit {MaxPemFileBytes})";
                return false;
            }

            var blocks = PemReader.CertificateBlocks(File.ReadAllText(path), out var badBlocks);
            store = FromDer(blocks, badBlocks);
            if (store.Count == 0)
            {
                store = null;
                error = $"no certificates in {path}";
                return false;
            }

            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"cannot read trust store {path}: {e.Message}";
            return false;
        }
    }

    /// <summary>A store from DER certificates (tests, configuration); unparseable ones are skipped.</summary>
    public static TrustStore FromDerCertificates(IEnumerable<byte[]> certificates) => FromDer(certificates, 0);

    /// <summary>The union of several stores; duplicates (same SHA-256) are kept once.</summary>
    public static TrustStore Combine(params TrustStore[] stores)
    {
        var anchors = stores.SelectMany(s => s.Anchors).DistinctBy(c => c.Sha256).ToList();
        var anchorSet = anchors.Select(a => a.Sha256).ToHashSet(StringComparer.Ordinal);
        var intermediates = stores.SelectMany(s => s.Intermediates)
            .Where(c => !anchorSet.Contains(c.Sha256)).DistinctBy(c => c.Sha256).ToList();
        return new TrustStore(anchors, intermediates, stores.Sum(s => s.Skipped));
    }

    internal bool IsAnchor(ParsedCertificate cert) => _anchorHashes.Contains(cert.Sha256)
        || (cert.Facts.IsSelfSigned && Anchors.Any(a => a.SubjectKey == cert.SubjectKey && a.SpkiDer.AsSpan().SequenceEqual(cert.SpkiDer)));

    internal IReadOnlyList<ParsedCertificate> BySubject(string subjectKey) =>
        _bySubject.TryGetValue(subjectKey, out var list) ? list : [];

    private static TrustStore FromDer(IEnumerable<byte[]> certificates, int skipped)
    {
        var anchors = new List<ParsedCertificate>();
        var intermediates = new List<ParsedCertificate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var der in certificates)
        {
            if (!CertificateParser.TryParseCertificate(der, out var cert, out _))
            {
                skipped++;
                continue;
            }

            if (seen.Add(cert!.Sha256))
            {
                (cert.Facts.IsSelfSigned ? anchors : intermediates).Add(cert);
            }
        }

        return new TrustStore(anchors, intermediates, skipped);
    }
}
