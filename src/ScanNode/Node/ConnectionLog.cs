using System.Text;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// One line per connection that started (its SYN went out), appended when it closes:
/// <c>address port opened_unix_ms closed_unix_ms domain</c>.
/// For checking politeness from the outside (tests, operators).
/// </summary>
public sealed class ConnectionLog(string path, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();

    public sealed record Entry(XmppEndpoint Endpoint, DateTimeOffset OpenedAt);

    /// <summary>The open time is the instant the limiter counted the connection's start from (its SYN was out).</summary>
    public Entry Opened(XmppEndpoint endpoint, DateTimeOffset grantedAt) => new(endpoint, grantedAt);

    public void Closed(Entry entry)
    {
        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{entry.Endpoint.Address} {entry.Endpoint.Port} {entry.OpenedAt.ToUnixTimeMilliseconds()} {_time.GetUtcNow().ToUnixTimeMilliseconds()} {entry.Endpoint.Domain}\n");
        lock (_lock)
        {
            AppendWhole(line);
        }
    }

    /// <summary>
    /// The nodes of a cluster on one host may share a log. .NET's <see cref="FileMode.Append"/> is not O_APPEND: it
    /// writes at the end it found when it opened, so two processes appending at once overwrite each other's lines.
    /// <see cref="FileShare.None"/> takes an exclusive flock(2) on Unix; a writer that meets another's lock retries
    /// (a hold is one open, one short write and a close), and the end it then seeks to is the real one.
    /// </summary>
    private void AppendWhole(string line)
    {
        const int Attempts = 5000;
        var bytes = Encoding.UTF8.GetBytes(line);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                stream.Write(bytes);
                return;
            }
            catch (IOException e) when (attempt < Attempts && IsHeldByAnother(e))
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// The lock is another writer's: flock's EWOULDBLOCK (11 on Linux) as the exception's HResult, or Windows'
    /// ERROR_SHARING_VIOLATION. Anything else (no directory, no space) is not waited out.
    /// </summary>
    private static bool IsHeldByAnother(IOException e) =>
        e.GetType() == typeof(IOException) && (e.HResult == 11 || e.HResult == unchecked((int)0x80070020));
}
