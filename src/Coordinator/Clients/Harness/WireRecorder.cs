using System.Text;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>Collects the events and raw text of one client run, from every connection at once; bounded.</summary>
public sealed class WireRecorder
{
    /// <summary>Raw text kept per run; beyond it lines are dropped (the events still count).</summary>
    public const int MaxRawChars = 256 * 1024;

    /// <summary>Events kept per run: a client reconnecting in a loop must not fill the memory.</summary>
    public const int MaxEvents = 2000;

    private readonly object _gate = new();
    private readonly List<WireEvent> _events = [];
    private readonly List<string> _raw = [];
    private int _rawChars;
    private int _connections;

    /// <summary>Raised after every event, so the runner can stop a client as soon as the verdict is settled.</summary>
    public event Action<WireEvent>? Recorded;

    public int NextConnection() => Interlocked.Increment(ref _connections);

    public void Add(WireEvent e)
    {
        lock (_gate)
        {
            if (_events.Count >= MaxEvents)
            {
                return;
            }

            _events.Add(e);
        }

        Recorded?.Invoke(e);
    }

    /// <summary>Raw XML: <paramref name="fromClient"/> decides the "C"/"S" prefix; control characters are shown escaped.</summary>
    public void Raw(int connection, bool fromClient, bool encrypted, ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 16);
        text.Append(fromClient ? 'C' : 'S').Append(connection).Append(encrypted ? " tls: " : ": ");
        foreach (var c in Encoding.UTF8.GetString(bytes))
        {
            if (c < 0x20 && c != '\n' && c != '\t')
            {
                text.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        lock (_gate)
        {
            if (_rawChars + text.Length > MaxRawChars)
            {
                return;
            }

            _rawChars += text.Length;
            _raw.Add(text.ToString());
        }
    }

    public Transcript Snapshot(string scenarioId)
    {
        lock (_gate)
        {
            return new Transcript(scenarioId, [.. _events], [.. _raw]);
        }
    }
}

/// <summary>A stream that shows every byte read and written to the recorder and stops at a byte budget.</summary>
internal sealed class RecordingStream(Stream inner, WireRecorder recorder, int connection, bool encrypted, long budget) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _read += n;
        if (_read > budget)
        {
            throw new IOException("client exceeded the byte budget of " + budget);
        }

        if (n > 0)
        {
            recorder.Raw(connection, fromClient: true, encrypted, buffer.Span[..n]);
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        recorder.Raw(connection, fromClient: false, encrypted, buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
