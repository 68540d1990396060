using System.Net;
using System.Text.Json;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>
/// A planned <see cref="DiscoveryResult"/> to and from the census store's text (<see cref="DiscoveryJson"/>), so a node in
/// another process scans what planning resolved (issue 14). What is read came from DNS answers and through a database
/// other processes write: it is bounded before parsing, parsed without exceptions escaping, and checked against the
/// target it is read for. Anything unexpected reads as null, and the node asks DNS itself, which is never wrong.
/// </summary>
public static class DiscoveryCodec
{
    // Far above a real domain's (a few SRV records, a few addresses each), far below what would cost a node anything.
    private const int MaxEndpoints = 1024;
    private const int MaxSrvRecords = 256;
    private const int MaxProblems = 64;

    /// <summary>The stored form of <paramref name="result"/>; null when it would be longer than the store keeps
    /// (<see cref="PlannedDiscoveryRow.MaxResultChars"/>): that domain is resolved again by the node.</summary>
    public static string? Write(DiscoveryResult result)
    {
        var json = new DiscoveryJson([.. result.Endpoints.Select(EndpointDiscovered.From)],
            new DiscoveryCompleted(result.Domain, result.Mode, result.Report(), result.Endpoints.Count));
        var text = JsonSerializer.Serialize(json, DiscoveryJsonContext.Default.DiscoveryJson);
        return text.Length <= PlannedDiscoveryRow.MaxResultChars ? text : null;
    }

    /// <summary>The result stored as <paramref name="text"/> for <paramref name="domain"/> in <paramref name="mode"/>, or
    /// null when it is not a well-formed result of that domain and mode.</summary>
    public static DiscoveryResult? Read(string text, string domain, XmppMode mode)
    {
        if (text.Length is 0 or > PlannedDiscoveryRow.MaxResultChars || !DomainName.TryNormalize(domain, out var name, out _))
        {
            return null;
        }

        DiscoveryJson? json;
        try
        {
            json = JsonSerializer.Deserialize(text, DiscoveryJsonContext.Default.DiscoveryJson);
        }
        catch (JsonException)
        {
            return null;
        }

        if (json?.Completed is not { Dns: { } dns } completed || completed.Mode != mode || !SameDomain(completed.Domain, name)
            || json.Endpoints.Count > MaxEndpoints || completed.Endpoints != json.Endpoints.Count
            || dns.Srv.Count > MaxSrvRecords || dns.Problems.Count > MaxProblems
            || dns.Srv.Any(s => s is null) || dns.Problems.Any(p => p is null))
        {
            return null;
        }

        var endpoints = new List<XmppEndpoint>(json.Endpoints.Count);
        foreach (var e in json.Endpoints)
        {
            if (ToEndpoint(e, name, mode) is not { } endpoint)
            {
                return null;
            }

            endpoints.Add(endpoint);
        }

        return new DiscoveryResult(name, mode, endpoints, dns.Srv, dns.ServiceDisabled, dns.SrvDnssec, dns.Problems);
    }

    private static bool SameDomain(string stored, string name) =>
        DomainName.TryNormalize(stored, out var normalized, out _) && normalized == name;

    /// <summary>An endpoint of this domain and mode with a parsable address and a port and SRV fields in range; null otherwise.</summary>
    private static XmppEndpoint? ToEndpoint(EndpointDiscovered? e, string name, XmppMode mode) =>
        e is not null && e.Mode == mode && SameDomain(e.Domain, name)
            && e.Target.Length is > 0 and <= DomainName.MaxTextLength
            && e.Port is > 0 and <= ushort.MaxValue && e.Priority is >= 0 and <= ushort.MaxValue && e.Weight is >= 0 and <= ushort.MaxValue
            && IPAddress.TryParse(e.Address, out var address)
            ? new XmppEndpoint(name, mode, e.Transport, e.Target, address, e.Port, e.Priority, e.Weight, e.Source)
            : null;
}
