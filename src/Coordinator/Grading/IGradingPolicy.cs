using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>A versioned grading policy applied to stored facts.</summary>
public interface IGradingPolicy
{
    string Name { get; }

    int Version { get; }

    GradeResult Grade(GradingInput input);

    /// <summary>Whether this policy grades the endpoint at all: by default only endpoints where TLS was negotiated.</summary>
    bool Grades(GradingInput input) => input.HasTls;
}
