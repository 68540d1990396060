using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>How one attempt against one server ended.</summary>
internal enum DnsAttemptKind
{
    Answered,
    Timeout,
    NetworkError,
    Malformed,
}

/// <summary>One attempt's result: the accepted message, or why there is none.</summary>
internal sealed record DnsAttempt(DnsAttemptKind Kind, DnsMessage? Message, string? Error);

/// <summary>
/// One query exchange over UDP (RFC 1035 §4.2.1) or TCP (§4.2.2, RFC 7766). The caller's token cancels
/// (and throws); the per-attempt deadline gives <see cref="DnsAttemptKind.Timeout"/>.
/// </summary>
internal static class DnsTransport
{
    /// <summary>Largest UDP response accepted. We advertise 1232, but tolerate resolvers that send more.</summary>
    internal const int MaxUdpResponse = 4096;

    /// <summary>Largest TCP response: the 2-octet length prefix bounds it (RFC 1035 §4.2.2).</summary>
    internal const int MaxTcpResponse = ushort.MaxValue;

    internal static async Task<DnsAttempt> QueryUdpAsync(
        IPEndPoint server, ReadOnlyMemory<byte> query, ushort id, string name, DnsRecordType type, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxUdpResponse + 1);
        string? ignored = null;
        try
        {
            // A fresh socket per attempt: a new random source port each time (RFC 5452 §9.2).
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var any = server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            socket.Bind(new IPEndPoint(any, 0));
            await socket.SendToAsync(query, SocketFlags.None, server, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var received = await socket.ReceiveFromAsync(
                    buffer.AsMemory(0, MaxUdpResponse + 1), SocketFlags.None, new IPEndPoint(any, 0), deadline.Token).ConfigureAwait(false);
                if (!SameEndpoint(received.RemoteEndPoint, server))
                {
                    ignored = $"datagram from {received.RemoteEndPoint} instead of {server}";
                    continue;
                }

                if (received.ReceivedBytes > MaxUdpResponse)
                {
                    return new DnsAttempt(DnsAttemptKind.Malformed, null, $"UDP response larger than {MaxUdpResponse} octets");
                }

                var verdict = DnsResponseValidator.Check(buffer.AsSpan(0, received.ReceivedBytes), id, name, type, out var message, out string? error);
                switch (verdict)
                {
                    case DnsVerdict.Accept:
                        return new DnsAttempt(DnsAttemptKind.Answered, message, null);
                    case DnsVerdict.Malformed:
                        return new DnsAttempt(DnsAttemptKind.Malformed, null, error);
                    default:
                        ignored = error;
                        continue;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            string suffix = ignored is null ? "" : $" (ignored a datagram: {ignored})";
            return new DnsAttempt(DnsAttemptKind.Timeout, null, $"no UDP answer within {timeout.TotalSeconds:0.###} s{suffix}");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
        {
            return new DnsAttempt(DnsAttemptKind.Malformed, null, $"UDP response larger than {MaxUdpResponse} octets");
        }
        catch (SocketException e)
        {
            return new DnsAttempt(DnsAttemptKind.NetworkError, null, $"UDP: {e.SocketErrorCode}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static async Task<DnsAttempt> QueryTcpAsync(
        IPEndPoint server, ReadOnlyMemory<byte> query, ushort id, string name, DnsRecordType type, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxTcpResponse);
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);

            // RFC 1035 §4.2.2: each message is prefixed with a two-octet length field.
            byte[] framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed.AsMemory(2));
            await socket.SendAsync(framed, SocketFlags.None, deadline.Token).ConfigureAwait(false);

            if (!await TryReadExactlyAsync(socket, buffer.AsMemory(0, 2), deadline.Token).ConfigureAwait(false))
            {
                return new DnsAttempt(DnsAttemptKind.NetworkError, null, "TCP: connection closed before the length prefix");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            if (!await TryReadExactlyAsync(socket, buffer.AsMemory(0, length), deadline.Token).ConfigureAwait(false))
            {
                return new DnsAttempt(DnsAttemptKind.Malformed, null, $"TCP: connection closed inside a {length}-octet message");
            }

            var verdict = DnsResponseValidator.Check(buffer.AsSpan(0, length), id, name, type, out var message, out string? error);
            return verdict == DnsVerdict.Accept
                ? new DnsAttempt(DnsAttemptKind.Answered, message, null)
                : new DnsAttempt(DnsAttemptKind.Malformed, null, "TCP: " + error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DnsAttempt(DnsAttemptKind.Timeout, null, $"no TCP answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (SocketException e)
        {
            return new DnsAttempt(DnsAttemptKind.NetworkError, null, $"TCP: {e.SocketErrorCode}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> TryReadExactlyAsync(Socket socket, Memory<byte> destination, CancellationToken ct)
    {
        int read = 0;
        while (read < destination.Length)
        {
            int n = await socket.ReceiveAsync(destination[read..], SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static bool SameEndpoint(EndPoint received, IPEndPoint expected) =>
        received is IPEndPoint ip && ip.Port == expected.Port
        && (ip.Address.Equals(expected.Address)
            || (ip.Address.IsIPv4MappedToIPv6 && ip.Address.MapToIPv4().Equals(expected.Address)));
}
