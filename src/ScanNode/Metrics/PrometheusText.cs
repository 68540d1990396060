using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace XmppScanCluster.ScanNode.Metrics;

/// <summary>
/// Listens to the long-valued counters of the meters it is given and renders their running sums in the Prometheus text
/// exposition format (version 0.0.4): counters as <c>NAME_total</c>, up-down counters as gauges, one line per tag set.
/// Label values are escaped (backslash, quote, newline); tag values come from our own code, never from a server.
/// </summary>
public sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), long> _sums = new();

    public PrometheusText(params string[] meterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterNames.Contains(instrument.Meter.Name, StringComparer.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _sums.AddOrUpdate((instrument, Labels(tags)), value, (_, sum) => sum + value));
        _listener.Start();
    }

    /// <summary>Every instrument seen so far, sorted by name and labels.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var group in _sums.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var counter = group.Key is Counter<long>;
            var name = counter ? group.Key.Name + "_total" : group.Key.Name;
            if (group.Key.Description is { } help)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(counter ? " counter\n" : " gauge\n");
            foreach (var (key, sum) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                text.Append(name).Append(key.Labels).Append(' ').Append(sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{key}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }
}
