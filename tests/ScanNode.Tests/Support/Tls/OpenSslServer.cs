using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// A real <c>openssl s_server</c> on 127.0.0.1 and the port it bound, with a fresh self-signed RSA certificate in
/// a temp dir. Killed (this process only) and cleaned up on dispose.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private OpenSslServer(Process process, string dir, int port, byte[] certificateDer)
    {
        _process = process;
        _dir = dir;
        Port = port;
        CertificateDer = certificateDer;
    }

    public int Port { get; }

    public byte[] CertificateDer { get; }

    /// <summary>Starts <c>openssl s_server</c> with the given extra arguments (e.g. <c>-tls1_2 -cipher X</c>).</summary>
    public static Task<OpenSslServer> StartAsync(params string[] args) => StartAsync(ecdsa: false, args);

    /// <summary>As <see cref="StartAsync(string[])"/>, with a P-256 ECDSA certificate when <paramref name="ecdsa"/>.</summary>
    public static Task<OpenSslServer> StartAsync(bool ecdsa, params string[] args) => StartAsync("openssl", ["s_server"], ecdsa, args);

    /// <summary>
    /// OpenSSL behind Python's asyncio (<c>silent_tls_server.py</c>): closes without an alert on every failed
    /// handshake, as ejabberd 23.01 does, which <c>openssl s_server</c> never does. Takes <c>-tls1_3</c>.
    /// </summary>
    public static Task<OpenSslServer> StartSilentAsync(params string[] args) =>
        StartAsync("python3", [Path.Combine(XmppScanCluster.TestKit.RepoPaths.Root, "tests", "ScanNode.Tests", "Support", "Tls", "silent_tls_server.py")],
            ecdsa: false, args);

    private static async Task<OpenSslServer> StartAsync(string program, string[] leading, bool ecdsa, string[] args)
    {
        // openssl and python3 are test requirements (deploy/install-deps.sh): a missing binary fails the test, never passes it.
        if (!File.Exists("/usr/bin/" + program) && !File.Exists("/usr/local/bin/" + program))
        {
            throw new InvalidOperationException($"{program} is not installed: run deploy/install-deps.sh (the TLS tests need it)");
        }

        var dir = Directory.CreateTempSubdirectory("xsc-tls-").FullName;
        using AsymmetricAlgorithm key = ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var req = key is ECDsa ec
            ? new CertificateRequest("CN=localhost", ec, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=localhost", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), cert.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());

        // Port 0: s_server binds and prints the port it got ("ACCEPT 127.0.0.1:N", only without -quiet). Picking a free
        // port first and passing it on left a window in which another test's listener could take it (a stress run's
        // KeyTypeChainProbeTests talked to some other server: no handshake got the expected leaf).
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in (string[])[.. leading, "-accept", "127.0.0.1:0", "-cert", "cert.pem", "-key", "key.pem", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new Queue<string>();
        var process = new Process { StartInfo = psi };
        // Both pipes are drained for the server's whole life: s_server writes per connection, and a full pipe would stop it.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("ACCEPT ", StringComparison.Ordinal)
                && int.TryParse(line[(line.LastIndexOf(':') + 1)..], out var port))
            {
                listening.TrySetResult(port);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (errors)
            {
                errors.Enqueue(line);
                if (errors.Count > 20) errors.Dequeue();
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            program + " exited: " + string.Join(" / ", Snapshot(errors))));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new OpenSslServer(process, dir, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)), cert.RawData);
        }
        catch
        {
            await new OpenSslServer(process, dir, 0, cert.RawData).DisposeAsync(); // kills it and removes the directory
            throw;
        }
    }

    private static string[] Snapshot(Queue<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
