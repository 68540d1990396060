using System.Runtime.ExceptionServices;
using Akka.Actor;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// The node's Akka.NET actor system (<see cref="NodeActorConfig"/>) and the bridge from the node's loops to its
/// target actors: <see cref="RunAsync"/> starts one <see cref="TargetActor"/> for a stream, tells it a command and
/// waits for its one answer; cancelling stops the actor (its step in flight is cancelled).
/// </summary>
public sealed class NodeActors : IAsyncDisposable
{
    private readonly ActorSystem _system;

    private NodeActors(ActorSystem system) => _system = system;

    /// <summary>Starts the node's actor system, persisting to <paramref name="persistence"/> (<see cref="CensusPersistence"/>).</summary>
    public static NodeActors Start((string Engine, string Target) persistence, string nodeId, string region, TimeProvider time,
        TextWriter log)
    {
        CensusPersistence.Prepare(persistence.Engine, persistence.Target);
        return new(ActorSystem.Create("xmppscan-node", BootstrapSetup.Create()
            .WithConfig(CensusPersistence.For(persistence.Engine, persistence.Target).WithFallback(NodeActorConfig.Config))
            .And(new NodeSetup(time, log)).And(new WriterSetup(nodeId, region))));
    }

    /// <summary>Runs <paramref name="command"/> on the stream of <paramref name="origin"/> until the actor finishes.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<TargetFinished> RunAsync(EventOrigin origin, ScanStepRegistry steps, StepRunner runner,
        ITargetCommand command, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reply = _system.ActorOf(Props.Create(() => new AnswerOnce(answer)));
        var target = _system.ActorOf(TargetActor.Props(TargetPersistenceIds.For(origin.CensusId, origin.TargetId), steps, runner, reply));
        target.Tell(command);
        await using (ct.Register(() => _system.Stop(target)).ConfigureAwait(false))
        {
            switch (await answer.Task.ConfigureAwait(false))
            {
                case TargetFinished finished:
                    return finished;
                case TargetStopped when ct.IsCancellationRequested:
                    throw new OperationCanceledException(ct);
                case TargetStopped stopped:
                    ExceptionDispatchInfo.Throw(stopped.Cause);
                    throw stopped.Cause;
                case var other:
                    throw new InvalidOperationException($"unexpected answer {other.GetType().Name}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().ConfigureAwait(false);

    /// <summary>Completes a task with the first message it gets, then stops.</summary>
    private sealed class AnswerOnce : ReceiveActor
    {
        public AnswerOnce(TaskCompletionSource<object> answer) =>
            ReceiveAny(m =>
            {
                answer.TrySetResult(m);
                Context.Stop(Self);
            });
    }
}
