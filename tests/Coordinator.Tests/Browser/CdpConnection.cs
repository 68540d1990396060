using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// The Chrome DevTools protocol over one WebSocket to the browser target: JSON commands with an id answered by a
/// message with the same id, and events pushed at any time. Page sessions are multiplexed on the same socket with
/// <c>sessionId</c> (Target.attachToTarget with <c>flatten: true</c>), so one connection serves every page.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, Action<string, JsonElement>> _sessions = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private long _nextId;

    /// <summary>A response must come within this time; a hung browser fails the test instead of hanging it.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static async Task<CdpConnection> ConnectAsync(Uri webSocketUrl, CancellationToken ct)
    {
        var connection = new CdpConnection();
        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await connection._socket.ConnectAsync(webSocketUrl, ct);
        connection._receiving = Task.Run(connection.ReceiveLoopAsync);
        return connection;
    }

    /// <summary>Routes the events of one page session to <paramref name="handler"/> (method, params).</summary>
    public void Subscribe(string sessionId, Action<string, JsonElement> handler) => _sessions[sessionId] = handler;

    public void Unsubscribe(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>Sends a command (to the browser, or to a page when <paramref name="sessionId"/> is set) and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method };
        message["params"] = parameters is null ? new JsonObject() : JsonSerializer.SerializeToNode(parameters);
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }

        var done = await Task.WhenAny(reply.Task, Task.Delay(CommandTimeout));
        if (done != reply.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"DevTools command {method} got no answer in {CommandTimeout.TotalSeconds:0} s");
        }

        return await reply.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var read = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, read.Count);
                if (!read.EndOfMessage)
                {
                    continue; // screenshots arrive as several frames
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser went away or we are closing: fail whatever still waits, below.
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("the DevTools connection to Chromium closed"));
        }
    }

    private void Dispatch(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (_pending.TryRemove(idElement.GetInt64(), out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException($"DevTools error: {error.GetRawText()}"));
                }
                else
                {
                    reply.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var method) && root.TryGetProperty("sessionId", out var session)
            && _sessions.TryGetValue(session.GetString()!, out var handler))
        {
            handler(method.GetString()!, root.TryGetProperty("params", out var p) ? p.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
