using System.Text.Json;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Shared.Tests.Json;

/// <summary>
/// Issue 14: this test host runs, like the xmppscan program, with reflection-based JSON switched off
/// (<c>JsonSerializerIsReflectionEnabledByDefault=false</c> in the csproj), so the result, event and golden tests here
/// fail on any JsonSerializer call that lacks source-generated metadata instead of passing through reflection.
/// </summary>
public class ReflectionJsonOffTests
{
    [Fact]
    public void ReflectionJson_isOffInThisTestHost()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
        var refused = Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(new ProbeResult(ProbeStatus.Completed, null, null, null, 1)));
        Assert.Contains("Reflection-based serialization has been disabled", refused.Message, StringComparison.Ordinal);
    }
}
