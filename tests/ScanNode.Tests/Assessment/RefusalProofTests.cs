using XmppScanCluster.ScanNode.Assessment;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>Issue 16's rule as bookkeeping: a close read as a refusal is proven only by a hello started after it that
/// got an answer; an answer to a hello that started before the close (another lane's) proves nothing.</summary>
public class RefusalProofTests
{
    [Fact]
    public void NothingTakenAsARefusal_owesNothing()
    {
        var proof = new RefusalProof();
        proof.Start();

        Assert.False(proof.Owing);
    }

    [Fact]
    public void ACloseIsProvenByAHelloStartedAfterIt_notByOneStartedBefore()
    {
        var proof = new RefusalProof();
        var before = proof.Start(); // another lane's hello, still in flight when the close is met
        proof.Start();              // the hello that met the close
        proof.Owe(proof.Mark());

        proof.Answered(before);
        Assert.True(proof.Owing);

        proof.Answered(proof.Start());
        Assert.False(proof.Owing);
    }

    [Fact]
    public void TheLastCloseDecides_anAnswerBetweenTwoClosesProvesOnlyTheFirst()
    {
        var proof = new RefusalProof();
        proof.Start();
        var first = proof.Mark();
        proof.Owe(first);
        proof.Answered(proof.Start());
        proof.Start();
        proof.Owe(proof.Mark());

        Assert.True(proof.AnsweredAfter(first));
        Assert.True(proof.Owing);
    }
}
