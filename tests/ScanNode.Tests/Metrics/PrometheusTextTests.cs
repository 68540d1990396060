using System.Diagnostics.Metrics;
using XmppScanCluster.ScanNode.Metrics;

namespace XmppScanCluster.ScanNode.Tests.Metrics;

public class PrometheusTextTests
{
    [Fact]
    public void Counters_andUpDownCounters_renderAsPrometheusText_withSortedEscapedLabels()
    {
        using var meter = new Meter("test." + Guid.NewGuid().ToString("N"));
        using var text = new PrometheusText(meter.Name);
        var steps = meter.CreateCounter<long>("xmppscan_test_steps", description: "Steps");
        var alive = meter.CreateUpDownCounter<long>("xmppscan_test_alive");

        steps.Add(2, new("step", "session"), new("status", "completed"));
        steps.Add(1, new("status", "completed"), new("step", "session"));
        steps.Add(1, new("step", "odd\"name\\\n"), new("status", "failed"));
        alive.Add(3);
        alive.Add(-1);

        Assert.Equal(
            "# TYPE xmppscan_test_alive gauge\n" +
            "xmppscan_test_alive 2\n" +
            "# HELP xmppscan_test_steps_total Steps\n" +
            "# TYPE xmppscan_test_steps_total counter\n" +
            "xmppscan_test_steps_total{status=\"completed\",step=\"session\"} 3\n" +
            "xmppscan_test_steps_total{status=\"failed\",step=\"odd\\\"name\\\\\\n\"} 1\n",
            text.Render());
    }

    [Fact]
    public void OtherMeters_areNotListenedTo()
    {
        using var mine = new Meter("test." + Guid.NewGuid().ToString("N"));
        using var other = new Meter("test." + Guid.NewGuid().ToString("N"));
        using var text = new PrometheusText(mine.Name);

        other.CreateCounter<long>("xmppscan_test_elsewhere").Add(1);

        Assert.Equal("", text.Render());
    }
}
