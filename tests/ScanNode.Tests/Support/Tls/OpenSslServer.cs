using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// A real <c>openssl s_server</c> on 127.0.0.1 and a free port, with a fresh self-signed RSA certificate in
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
    public static async Task<OpenSslServer> StartAsync(params string[] args)
    {
        // openssl is a test requirement (deploy/install-deps.sh): a missing binary fails the test, never passes it.
        if (!File.Exists("/usr/bin/openssl") && !File.Exists("/usr/local/bin/openssl"))
        {
            throw new InvalidOperationException("openssl is not installed: run deploy/install-deps.sh (the TLS tests need openssl s_server)");
        }

        var dir = Directory.CreateTempSubdirectory("xsc-tls-").FullName;
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), cert.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), rsa.ExportPkcs8PrivateKeyPem());

        var port = FreePort();
        var psi = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in (string[])["s_server", "-accept", $"127.0.0.1:{port}", "-cert", "cert.pem", "-key", "key.pem", "-quiet", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var server = new OpenSslServer(process, dir, port, cert.RawData);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                var err = await process.StandardError.ReadToEndAsync();
                await server.DisposeAsync();
                throw new InvalidOperationException("openssl s_server exited: " + err);
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server; // listening (this connect is one throw-away accept for s_server)
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await server.DisposeAsync();
        throw new TimeoutException("openssl s_server did not start listening");
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

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
