#:property PublishAot=false
// One TLS handshake with .NET's SslStream defaults (the stack of .NET XMPP libraries), verification off.
// Usage: dotnet run HelloClient.cs -- HOST PORT SNI  ->  prints "Tls13 TLS_AES_256_GCM_SHA384" or exits 1.
using System.Net.Security;
using System.Net.Sockets;

using var tcp = new TcpClient();
await tcp.ConnectAsync(args[0], int.Parse(args[1]));
using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
try
{
    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = args[2] });
    Console.WriteLine($"{ssl.SslProtocol} {ssl.NegotiatedCipherSuite}");
}
catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
{
    Console.WriteLine("FAILED " + e.Message);
    return 1;
}

return 0;
