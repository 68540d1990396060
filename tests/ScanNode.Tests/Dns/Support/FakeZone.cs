using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns.Support;

/// <summary>A tiny authoritative view for the fake server: names not present give NXDOMAIN, present names without the type NODATA.</summary>
internal sealed class FakeZone
{
    private readonly List<TestRecord> _records = [];
    private readonly Dictionary<string, int> _rcodes = new(StringComparer.Ordinal);

    internal FakeZone Add(TestRecord record)
    {
        _records.Add(record);
        return this;
    }

    /// <summary>Answer every query for <paramref name="name"/> with this RCODE (e.g. SERVFAIL).</summary>
    internal FakeZone Fail(string name, int rcode)
    {
        _rcodes[name] = rcode;
        return this;
    }

    internal byte[] Answer(TestQuery query)
    {
        if (_rcodes.TryGetValue(query.Name, out int rcode))
        {
            return TestMessage.Response(query, rcode);
        }

        var answers = new List<TestRecord>();
        string current = query.Name;
        for (int hops = 0; hops < 10; hops++)
        {
            var here = _records.Where(r => r.Name == current).ToList();
            var matching = here.Where(r => r.Type == query.Type).ToList();
            var cname = here.FirstOrDefault(r => r.Type == RecordType.CNAME);
            if (matching.Count > 0 || cname is null)
            {
                answers.AddRange(matching);
                bool exists = here.Count > 0 || _records.Any(r => r.Name.EndsWith("." + current, StringComparison.Ordinal));
                return TestMessage.Response(query, exists ? TestMessage.NoError : TestMessage.NxDomain, answers);
            }

            answers.Add(cname);
            current = DecodeName(cname.RData);
        }

        return TestMessage.Response(query, TestMessage.ServFail);
    }

    private static string DecodeName(byte[] encoded)
    {
        var labels = new List<string>();
        int position = 0;
        while (encoded[position] != 0)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(encoded, position + 1, encoded[position]));
            position += 1 + encoded[position];
        }

        return string.Join('.', labels);
    }
}
