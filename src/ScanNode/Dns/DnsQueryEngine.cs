using System.Security.Cryptography;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>The final outcome of one question over all servers: an accepted message, or a failure status.</summary>
internal sealed record DnsQueryOutcome(DnsMessage? Message, DnsStatus FailureStatus, string? Error);

/// <summary>
/// Asks the configured servers in order: UDP with EDNS0, TCP when TC is set (RFC 7766 §5), up to
/// <see cref="DnsResolverOptions.Retries"/> attempts per server on timeouts, the next server on
/// SERVFAIL/REFUSED/other RCODEs, malformed answers and socket errors.
/// </summary>
internal sealed class DnsQueryEngine(DnsResolverOptions options)
{
    internal DnsResolverOptions Options { get; } = options;

    internal async Task<DnsQueryOutcome> QueryAsync(string name, DnsRecordType type, bool checkingDisabled, CancellationToken ct)
    {
        if (Options.Servers.Count == 0)
        {
            return new DnsQueryOutcome(null, DnsStatus.NetworkError, "no DNS servers configured");
        }

        byte[] query = new byte[DnsMessageWriter.MaxQueryLength];
        var failures = new List<string>();
        DnsMessage? lastRcodeAnswer = null;
        bool sawMalformed = false, sawNetworkError = false;
        int attemptsPerServer = Math.Max(1, Options.Retries);
        var timeout = Options.Timeout > TimeSpan.Zero ? Options.Timeout : ScanLimits.Default.DnsTimeout;
        foreach (var server in Options.Servers)
        {
            for (int attempt = 1; attempt <= attemptsPerServer; attempt++)
            {
                ushort id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
                if (!DnsMessageWriter.TryWriteQuery(query, id, name, type, Options.RequestDnssec, checkingDisabled, out int length, out string? writeError))
                {
                    return new DnsQueryOutcome(null, DnsStatus.Malformed, $"cannot query {name}: {writeError}");
                }

                var memory = query.AsMemory(0, length);
                var result = await DnsTransport.QueryUdpAsync(server, memory, id, name, type, timeout, ct).ConfigureAwait(false);
                if (result.Kind == DnsAttemptKind.Answered && result.Message!.IsTruncated)
                {
                    result = await DnsTransport.QueryTcpAsync(server, memory, id, name, type, timeout, ct).ConfigureAwait(false);
                    if (result.Kind == DnsAttemptKind.Answered && result.Message!.IsTruncated)
                    {
                        result = new DnsAttempt(DnsAttemptKind.Malformed, null, "TCP response has the TC bit set");
                    }
                }

                if (result.Kind == DnsAttemptKind.Answered)
                {
                    int rcode = result.Message!.Rcode;
                    if (rcode is DnsFlags.RcodeNoError or DnsFlags.RcodeNxDomain)
                    {
                        return new DnsQueryOutcome(result.Message, DnsStatus.Ok, null);
                    }

                    lastRcodeAnswer = result.Message;
                    failures.Add($"{server}: {RcodeName(rcode)}");
                    break;
                }

                failures.Add($"{server}: {result.Error}");
                if (result.Kind == DnsAttemptKind.Malformed)
                {
                    sawMalformed = true;
                    break;
                }

                if (result.Kind == DnsAttemptKind.NetworkError)
                {
                    sawNetworkError = true;
                    break;
                }
            }
        }

        string summary = $"{name} {type}: " + string.Join("; ", failures);
        if (lastRcodeAnswer is not null)
        {
            return new DnsQueryOutcome(lastRcodeAnswer, DnsStatus.Ok, summary);
        }

        var status = sawMalformed ? DnsStatus.Malformed : sawNetworkError ? DnsStatus.NetworkError : DnsStatus.Timeout;
        return new DnsQueryOutcome(null, status, summary);
    }

    internal static string RcodeName(int rcode) => rcode switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => $"RCODE {rcode}",
    };
}
