using System.Collections.Concurrent;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Per-run cache of query outcomes keyed by (name, type, CD), honouring TTLs. Concurrent askers of the same
/// question share one in-flight query. Failures are not kept once they complete.
/// </summary>
internal sealed class DnsCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type, bool Cd), Entry> _entries = new();

    internal int Count => _entries.Count;

    internal Task<DnsQueryOutcome> GetOrQuery(string name, DnsRecordType type, bool checkingDisabled, Func<Task<DnsQueryOutcome>> query)
    {
        var key = (name, type, checkingDisabled);
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (!existing.Task.Value.IsCompleted || time.GetUtcNow() < existing.Expires)
                {
                    return existing.Task.Value;
                }

                _entries.TryRemove(new KeyValuePair<(string, DnsRecordType, bool), Entry>(key, existing));
                continue;
            }

            var entry = new Entry();
            entry.Task = new Lazy<Task<DnsQueryOutcome>>(() => RunAsync(entry, query));
            if (_entries.TryAdd(key, entry))
            {
                return entry.Task.Value;
            }
        }
    }

    private async Task<DnsQueryOutcome> RunAsync(Entry entry, Func<Task<DnsQueryOutcome>> query)
    {
        var outcome = await query().ConfigureAwait(false);
        entry.Expires = time.GetUtcNow() + DnsAnswerReader.CacheTime(outcome);
        return outcome;
    }

    private sealed class Entry
    {
        internal Lazy<Task<DnsQueryOutcome>> Task { get; set; } = null!;

        internal DateTimeOffset Expires { get; set; } = DateTimeOffset.MinValue;
    }
}
