using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// After a query met no answer, finds out whether every configured resolver's UDP port is closed. DnsClient's sockets do
/// not report the ICMP port-unreachable a closed port answers with, so each query to it waits its whole timeout and
/// its retries, and every later query waits again (a scan with <c>--dns</c> to a closed port: 6 s per lookup). A
/// connected UDP socket does report it (RFC 1122 §4.1.3.3: ICMP errors are passed to the application), as
/// ECONNREFUSED on the next receive: one small query for the root's NS to each server tells closed from alive or
/// silent within a round trip; it waits at most <see cref="ProbeWait"/> for silence. Only "every server refused" is
/// remembered (for <see cref="Validity"/>, a resolver may come back) and makes later lookups fail at once.
/// </summary>
internal sealed class ClosedPortCheck(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
{
    /// <summary>How long a "closed" verdict is trusted before the ports are checked again (a resolver restarting).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromSeconds(30);

    /// <summary>The longest the check waits for a refusal (a closed port refuses within one round trip).</summary>
    public static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    /// <summary>RFC 1035 §4.1: id 0x7873, RD set, one question: ". NS IN".</summary>
    private static readonly byte[] RootQuery = [0x78, 0x73, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01];

    private readonly Lock _lock = new();
    private Task<string?>? _check;
    private long _checkedAt;

    /// <summary>Why no server can answer, when a check within <see cref="Validity"/> found every port closed; else null.</summary>
    public string? KnownClosed
    {
        get
        {
            lock (_lock)
            {
                return _check is { IsCompletedSuccessfully: true, Result: { } closed } && TimeProvider.System.GetElapsedTime(_checkedAt) <= Validity
                    ? closed
                    : null;
            }
        }
    }

    /// <summary>Checks the ports (once for all the lookups failing at the same time): null when some server may answer;
    /// else why none can ("DNS port closed on …").</summary>
    public Task<string?> CheckAsync()
    {
        lock (_lock)
        {
            if (_check is null || (_check.IsCompleted && TimeProvider.System.GetElapsedTime(_checkedAt) > Validity))
            {
                _checkedAt = TimeProvider.System.GetTimestamp();
                _check = RunAsync();
            }

            return _check;
        }
    }

    private async Task<string?> RunAsync()
    {
        var refused = await Task.WhenAll(servers.Select(RefusedAsync)).ConfigureAwait(false);
        return servers.Count > 0 && refused.All(r => r)
            ? $"DNS port closed on {string.Join(", ", servers)} (ICMP port unreachable); not waited for"
            : null;
    }

    private async Task<bool> RefusedAsync(IPEndPoint server)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var deadline = new CancellationTokenSource(timeout < ProbeWait ? timeout : ProbeWait);
        try
        {
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(RootQuery, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var answer = new byte[512];
            await socket.ReceiveAsync(answer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false; // silent, or another network problem: the real query decides
        }
    }
}
