using System.Buffers;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>
/// Sends one ClientHello on a fresh connection and reads the server's first flight: until ServerHelloDone,
/// an alert, a HelloRetryRequest, the start of TLS 1.3 encryption, close, or timeout. Every read has
/// <see cref="ScanLimits.ReadTimeout"/>, the connection <see cref="ScanLimits.ConnectionTimeout"/>, and the
/// bytes are bounded by the reassembler's limits. Returns facts; never throws for what the server does.
/// </summary>
public sealed class HandshakeProbe(ITlsConnectionFactory connections, ScanLimits limits)
{
    private const int ReadBufferSize = 16 * 1024;

    /// <summary>One TLS/SSLv3 handshake attempt.</summary>
    public Task<HandshakeResult> RunAsync(ClientHelloProfile profile, CancellationToken cancellationToken) =>
        ExchangeAsync(ClientHelloBuilder.BuildRecords(profile), ReadTlsAsync, cancellationToken);

    /// <summary>One SSL 2.0 attempt offering <paramref name="cipherSpecs"/>.</summary>
    public Task<HandshakeResult> RunSsl2Async(IEnumerable<int> cipherSpecs, CancellationToken cancellationToken) =>
        ExchangeAsync(Ssl2ClientHelloBuilder.Build(cipherSpecs), ReadSsl2Async, cancellationToken);

    private async Task<HandshakeResult> ExchangeAsync(
        byte[] hello,
        Func<Stream, CancellationToken, Task<HandshakeResult>> read,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var attempt = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (attempt.Failure is { } failure || attempt.Stream is not { } stream)
            {
                return HandshakeResult.Failed(attempt.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream"));
            }

            // The connection's deadline, on limits.Clock like every read's (a test decides a timeout on fake time).
            using var deadline = new OperationDeadline(cancellationToken, limits.Clock);
            var connection = deadline.Start(limits.ConnectionTimeout, default, out _);
            try
            {
                await stream.WriteAsync(hello, connection).ConfigureAwait(false);
                await stream.FlushAsync(connection).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HandshakeResult.Failed(WireFailures.Classify(e, "write"));
            }

            return await read(stream, connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HandshakeResult.Failed(new ProbeFailure(FailureKind.Cancelled, "cancelled"));
        }
        catch (OperationCanceledException)
        {
            return HandshakeResult.Failed(new ProbeFailure(FailureKind.Timeout, "connection deadline passed"));
        }
        catch (Exception e)
        {
            // Whatever the server did is classified where it was met (reads and writes above); what reaches this
            // point is our own bug: this handshake's failure, never the end of the scan.
            return HandshakeResult.Failed(WireFailures.Internal(e, "the handshake probe"));
        }
    }

    private async Task<HandshakeResult> ReadTlsAsync(Stream stream, CancellationToken connection)
    {
        using var reassembler = new HandshakeReassembler(limits);
        var flight = new ServerFlight();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        using var read = new OperationDeadline(connection, limits.Clock);
        try
        {
            while (true)
            {
                var (n, failure) = await ReadAsync(stream, buffer, read, connection).ConfigureAwait(false);
                if (failure is not null)
                {
                    return flight.Finish(failure, reassembler.TotalBytes);
                }

                if (reassembler.Append(buffer.AsSpan(0, n)) == ParseStatus.Invalid)
                {
                    return flight.Finish(reassembler.Failure!, reassembler.TotalBytes);
                }

                ParseStatus status;
                while ((status = reassembler.TryReadMessage(out var message)) == ParseStatus.Complete)
                {
                    if (flight.Accept(message!))
                    {
                        return flight.Result with { BytesReceived = reassembler.TotalBytes };
                    }
                }

                if (status == ParseStatus.Invalid)
                {
                    return flight.Finish(reassembler.Failure!, reassembler.TotalBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<HandshakeResult> ReadSsl2Async(Stream stream, CancellationToken connection)
    {
        const int maxSsl2Record = 0x7FFF + 3;
        var rented = ArrayPool<byte>.Shared.Rent(maxSsl2Record);
        try
        {
            return await ReadSsl2Async(stream, rented.AsMemory(0, maxSsl2Record), connection).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async Task<HandshakeResult> ReadSsl2Async(Stream stream, Memory<byte> data, CancellationToken connection)
    {
        var count = 0;
        using var read = new OperationDeadline(connection, limits.Clock);
        while (true)
        {
            var (n, failure) = await ReadAsync(stream, data[count..], read, connection).ConfigureAwait(false);
            if (failure is not null)
            {
                return HandshakeResult.Failed(failure, count);
            }

            count += n;
            var parsed = Ssl2ServerHelloParser.Parse(data.Span[..count], 0x7FFF, out _);
            switch (parsed.Status)
            {
                case ParseStatus.Complete:
                    return new HandshakeResult
                    {
                        Outcome = parsed.Value!.IsError ? HandshakeOutcome.Ssl2Error : HandshakeOutcome.Ssl2ServerHello,
                        Ssl2ServerHello = parsed.Value,
                        BytesReceived = count,
                    };
                case ParseStatus.Invalid:
                    // A TLS server answering an SSLv2 hello with a TLS alert is a "no", not garbage.
                    var alert = TryReadTlsAlert(data.Span[..count]);
                    return alert is not null
                        ? new HandshakeResult { Outcome = HandshakeOutcome.Alert, Alert = alert, BytesReceived = count }
                        : HandshakeResult.Failed(new ProbeFailure(FailureKind.ProtocolError, parsed.Error ?? "not SSLv2"), count);
                default:
                    if (count == data.Length)
                    {
                        return HandshakeResult.Failed(new ProbeFailure(FailureKind.LimitExceeded, "SSLv2 record too long"), count);
                    }

                    break;
            }
        }
    }

    private static TlsAlert? TryReadTlsAlert(ReadOnlySpan<byte> data)
    {
        if (TlsRecordParser.TryReadHeader(data, 18432, out var header, out _) != ParseStatus.Complete
            || header.ContentType != TlsContentType.Alert || data.Length < TlsRecordHeader.Size + header.Length)
        {
            return null;
        }

        return HandshakeMessageParser.ParseAlert(data.Slice(TlsRecordHeader.Size, header.Length)).Value;
    }

    /// <summary>One read with <see cref="ScanLimits.ReadTimeout"/> on <see cref="ScanLimits.Clock"/>; 0 bytes (EOF), reset
    /// and timeout become failures. <paramref name="read"/> is the connection's read deadline (cancelled with
    /// <paramref name="connection"/>), its timer re-armed for every read: one source per connection, not one per read
    /// (issue 14).</summary>
    private async Task<(int Bytes, ProbeFailure? Failure)> ReadAsync(Stream stream, Memory<byte> buffer, OperationDeadline read,
        CancellationToken connection)
    {
        var token = read.Start(limits.ReadTimeout, default, out var link);
        try
        {
            var n = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
            return n == 0 ? (0, new ProbeFailure(FailureKind.ConnectionClosed, "server closed the connection")) : (n, null);
        }
        catch (OperationCanceledException) when (!connection.IsCancellationRequested)
        {
            return (0, new ProbeFailure(FailureKind.Timeout, "no answer within the read timeout"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The connection deadline (ours or the stream's own, e.g. a server dripping one byte at a time),
            // a reset, a byte budget: classified here, at the probe that met it.
            return (0, WireFailures.Classify(e, "read"));
        }
        finally
        {
            read.Stop(link);
        }
    }
}
