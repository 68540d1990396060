using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>What a scenario's listeners share: names, the account, TLS settings.</summary>
/// <param name="Scenario">The behaviour.</param>
/// <param name="Domain">The test account's domain, which DNS points at <paramref name="Address"/>.</param>
/// <param name="Address">The scenario's own loopback address.</param>
/// <param name="OtherHost">Where <c>&lt;see-other-host/&gt;</c> points (an address: the stripping host).</param>
/// <param name="Password">The test account's password.</param>
/// <param name="TlsOptions">The certificate and protocols for this scenario.</param>
internal sealed record ScenarioServerSetup(Scenario Scenario, string Domain, IPAddress Address, IPAddress OtherHost, string Password,
    SslServerAuthenticationOptions TlsOptions)
{
    public string Account => "tester@" + Domain;
}

/// <summary>
/// The listeners of one scenario (5222, and 5223 or the see-other-host target when the scenario has them) and the
/// run in progress: every connection during a run is recorded into that run's <see cref="WireRecorder"/>; a
/// connection outside a run is closed at once.
/// </summary>
internal sealed class ScenarioServer : IAsyncDisposable
{
    public const int C2sPort = 5222;
    public const int DirectTlsPort = 5223;
    private readonly List<(TcpListener Listener, ListenerRole Role)> _listeners = [];
    private readonly CancellationTokenSource _life = new();
    private readonly List<Task> _loops = [];
    private readonly object _gate = new();
    private (WireRecorder Recorder, int Visit, CancellationTokenSource Cts, List<Task> Sessions)? _run;

    public ScenarioServer(ScenarioServerSetup setup)
    {
        Setup = setup;
        Add(setup.Address, C2sPort, ListenerRole.C2s);
        if (setup.Scenario.DirectTls)
        {
            Add(setup.Address, DirectTlsPort, ListenerRole.DirectTls);
        }

        if (setup.Scenario.SeeOtherHost)
        {
            Add(setup.OtherHost, C2sPort, ListenerRole.OtherHost);
        }

        foreach (var (listener, role) in _listeners)
        {
            _loops.Add(AcceptLoopAsync(listener, role));
        }
    }

    public ScenarioServerSetup Setup { get; }

    private void Add(IPAddress address, int port, ListenerRole role)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        _listeners.Add((listener, role));
    }

    /// <summary>Starts recording; <paramref name="visit"/> (1 or 2) decides the SASL offer of <see cref="Scenario.MechanismsFor"/>.</summary>
    public void BeginRun(WireRecorder recorder, int visit = 1)
    {
        lock (_gate)
        {
            _run = (recorder, visit, CancellationTokenSource.CreateLinkedTokenSource(_life.Token), []);
        }
    }

    /// <summary>
    /// Ends the run: every open session is cancelled (recording TimedOut if it was still waiting) and awaited. When the
    /// client exited by itself its sockets are already closed, so the sessions first get up to <paramref name="drain"/>
    /// (on <paramref name="time"/>) to read that close on their own: cancelling at once raced them and, on a loaded
    /// machine, recorded a client that had closed (gloox strict, refusing PLAIN) as one that stalled.
    /// </summary>
    public async Task EndRunAsync(bool clientExited, TimeProvider time, TimeSpan drain)
    {
        (WireRecorder, int, CancellationTokenSource Cts, List<Task> Sessions)? run;
        lock (_gate)
        {
            run = _run;
            _run = null;
        }

        if (run is { } r)
        {
            Task[] sessions;
            lock (r.Sessions)
            {
                sessions = [.. r.Sessions];
            }

            if (clientExited)
            {
                using var bound = new CancellationTokenSource(drain, time);
                await Task.WhenAny(Task.WhenAll(sessions), Task.Delay(Timeout.Infinite, bound.Token)).ConfigureAwait(false);
            }

            await r.Cts.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sessions).ConfigureAwait(false);
            r.Cts.Dispose();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, ListenerRole role)
    {
        while (!_life.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_life.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_gate)
            {
                if (_run is not { } run)
                {
                    client.Dispose();
                    continue;
                }

                var session = ServeAsync(client, role, run.Visit, run.Recorder, run.Cts.Token);
                lock (run.Sessions)
                {
                    run.Sessions.Add(session);
                }
            }
        }
    }

    private async Task ServeAsync(TcpClient client, ListenerRole role, int visit, WireRecorder recorder, CancellationToken ct)
    {
        await Task.Yield();
        using (client)
        await using (ct.Register(client.Dispose).ConfigureAwait(false))
        {
            var session = new ClientSession(Setup, role, visit, recorder.NextConnection(), recorder);
            try
            {
                await session.RunAsync(client.GetStream(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or AuthenticationException)
            {
                // Already recorded as closed or failed by the session; a broken socket ends only this connection.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndRunAsync(clientExited: false, TimeProvider.System, TimeSpan.Zero).ConfigureAwait(false);
        await _life.CancelAsync().ConfigureAwait(false);
        foreach (var (listener, _) in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops).ConfigureAwait(false);
        _life.Dispose();
    }
}
