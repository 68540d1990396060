using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>A versioned grading policy applied to stored facts.</summary>
public interface IGradingPolicy
{
    string Name { get; }

    int Version { get; }

    GradeResult Grade(GradingInput input);
}
