namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// What a close or a silence taken as a refusal still owes (issue 16). A server that closes without an alert
/// (ejabberd 23.01 with fast_tls) refuses that way, but so does one that stopped answering. A close is a refusal
/// once a hello started after it got a ServerHello: the server was still answering then. The enumeration goes on
/// at once; the proof is settled at the end of the assessment. Usually a hello the assessment sends anyway is
/// that proof (the next version's first offer, an order check); only when none was, one control hello is sent.
/// Hellos are numbered in the order they start; lanes share one instance.
/// </summary>
internal sealed class RefusalProof
{
    private long _started;
    private long _lastAnswered;
    private long _owed;

    /// <summary>Numbers a hello as it starts.</summary>
    public long Start() => Interlocked.Increment(ref _started);

    /// <summary>The hello numbered <paramref name="index"/> got a ServerHello or a HelloRetryRequest.</summary>
    public void Answered(long index) => RaiseTo(ref _lastAnswered, index);

    /// <summary>Where a close met now stands: a hello answered later must have started after this mark.</summary>
    public long Mark() => Volatile.Read(ref _started);

    /// <summary>A close at <paramref name="mark"/> was taken as a refusal: it owes a hello answered later.</summary>
    public void Owe(long mark) => RaiseTo(ref _owed, mark);

    /// <summary>A hello started after <paramref name="mark"/> got an answer.</summary>
    public bool AnsweredAfter(long mark) => Volatile.Read(ref _lastAnswered) > mark;

    /// <summary>Some close taken as a refusal has no answered hello after it yet.</summary>
    public bool Owing => Volatile.Read(ref _owed) is var owed and > 0 && !AnsweredAfter(owed);

    /// <summary>Sets <paramref name="field"/> to <paramref name="value"/> unless it is already higher (lanes race here).</summary>
    private static void RaiseTo(ref long field, long value)
    {
        var seen = Volatile.Read(ref field);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref field, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
