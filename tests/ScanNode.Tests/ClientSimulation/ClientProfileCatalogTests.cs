using System.Diagnostics;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;
using XmppScanCluster.Shared.ClientSimulation;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation;

/// <summary>The profile data: complete, parsable, and the same as the generator's output.</summary>
public class ClientProfileCatalogTests
{
    [Fact]
    public void EveryProfile_hasProvenance_andAParsableHello()
    {
        Assert.Equal(ClientProfileCatalog.All.Count, ClientProfileCatalog.All.Select(p => p.Id).Distinct().Count());
        foreach (var p in ClientProfileCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Id);
            Assert.NotEmpty(p.UsedBy);
            Assert.True(RecordedHelloParser.Parse(p.HelloRecords()).IsComplete, p.Id);
        }

        Assert.Contains(ClientProfileCatalog.All, p => p.Origin == ClientProfileOrigin.Captured);
        Assert.Contains(ClientProfileCatalog.All, p => p.Origin == ClientProfileOrigin.Published);
    }

    [Fact]
    public async Task GeneratedData_matchesTheGeneratorOutput()
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "clientsim", "gen_profiles.py");
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add("--stdout");
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no python3 here: nothing to compare with
        }

        using (p)
        {
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            var checkedIn = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "Shared", "ClientSimulation", "ClientProfileCatalog.Data.cs"));
            Assert.Equal(checkedIn, output);
        }
    }
}
