namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// Files named on the command line, with every failure as a <see cref="UsageException"/> (one line, exit code 2).
/// Output files are checked before any work: a scan can take minutes, and a directory or a missing folder found
/// only when the report is written would lose it (and cut the text report mid-line).
/// </summary>
public static class CliFiles
{
    /// <summary>Every line of an input file (targets, blocklist), or one line saying why it cannot be read.</summary>
    public static async Task<string[]> ReadLinesAsync(string option, string path, CancellationToken ct)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option} {path}: is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{option} {path}: file not found");
        }

        try
        {
            return await File.ReadAllLinesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: cannot read: {e.Message}");
        }
    }

    /// <summary>Throws <see cref="UsageException"/> unless <paramref name="path"/> can be written; leaves no file behind.</summary>
    public static void CheckWritable(string option, string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"{option} {path}: is a directory; name a file, e.g. {Path.Combine(path, "report" + Extension(option))}");
        }

        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new UsageException($"{option} {path}: folder {folder} does not exist");
        }

        var existed = File.Exists(full);
        try
        {
            // Open for writing without truncating: an existing report stays intact if the scan is interrupted.
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: cannot write: {e.Message}");
        }
    }

    /// <summary>Writes the finished output; a failure now (disk full, folder removed meanwhile) is one line too.</summary>
    public static async Task WriteAsync(string option, string path, string text, CancellationToken ct)
    {
        try
        {
            await File.WriteAllTextAsync(path, text, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {path}: cannot write: {e.Message}");
        }
    }

    private static string Extension(string option) => option switch { "--html" => ".html", "--json" => ".json", _ => ".log" };
}
