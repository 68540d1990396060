using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;

/// <summary>
/// Runs the real TLS libraries whose hellos the captured profiles hold, with the same settings as
/// <c>deploy/clientsim/capture.sh</c>: each connects once to 127.0.0.1:port with an SNI and finishes (or fails)
/// one handshake. Certificate checks are off: only the negotiated parameters matter.
/// </summary>
internal static class RealClients
{
    /// <summary>What a library said about its one handshake.</summary>
    /// <param name="Completed">The library finished the handshake (it did not abort after the ServerHello).</param>
    /// <param name="Text">Its output, for messages.</param>
    public sealed record Run(bool Completed, string Text);

    /// <summary>Captured profile id → runner; each returns the library's one-line report (for messages only).</summary>
    public static IReadOnlyDictionary<string, Func<int, string, Task<Run>>> ByProfile { get; } =
        new Dictionary<string, Func<int, string, Task<Run>>>
        {
            ["openssl-3.0"] = (port, sni) => RunAsync("CONNECTION ESTABLISHED", "openssl", "s_client", "-connect", $"127.0.0.1:{port}", "-servername", sni, "-brief"),
            ["gnutls-3.7"] = (port, sni) => RunAsync("- Handshake was completed", "gnutls-cli", "--insecure", "--port", $"{port}", "--sni-hostname", sni, "127.0.0.1"),
            ["java-17"] = (port, sni) => RunAsync(null, "java", Client("HelloClient.java"), "127.0.0.1", $"{port}", sni),
            ["python-3.11"] = (port, sni) => RunAsync(null, "python3", Client("hello_client.py"), "127.0.0.1", $"{port}", sni),
            ["node-20"] = (port, sni) => RunAsync(null, "node", Client("hello_client.js"), "127.0.0.1", $"{port}", sni),
            ["dotnet-10"] = DotNetAsync,
        };

    /// <summary>The tool a runner needs, to fail with a clear message where it is not installed.</summary>
    public static string? MissingTool(string profileId) => profileId switch
    {
        "openssl-3.0" => Which("openssl"),
        "gnutls-3.7" => Which("gnutls-cli"),
        "java-17" => Which("java") ?? Which("javac"), // the source launcher needs a JDK
        "python-3.11" => Which("python3"),
        "node-20" => Which("node"),
        _ => null,
    };

    private static string Client(string file) => Path.Combine(RepoPaths.Root, "deploy", "clientsim", "clients", file);

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool))) ? null : tool;

    /// <summary>.NET's SslStream, in process (the same runtime as the capture).</summary>
    private static async Task<Run> DotNetAsync(int port, string sni)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, cts.Token);
            return new Run(true, $"{ssl.SslProtocol} {ssl.NegotiatedCipherSuite}");
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return new Run(false, "FAILED " + e.Message);
        }
    }

    /// <summary>Runs one client; it completed if it exits 0 and prints <paramref name="success"/> (when given).</summary>
    private static async Task<Run> RunAsync(string? success, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close(); // EOF: s_client and gnutls-cli exit after the handshake
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            return new Run(false, "FAILED timeout");
        }

        var all = (await stdout) + (await stderr);
        var completed = p.ExitCode == 0 && (success is null || all.Contains(success, StringComparison.Ordinal));
        return new Run(completed, all.Length > 400 ? all[..400] : all);
    }
}
