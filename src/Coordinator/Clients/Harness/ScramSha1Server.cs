using System.Security.Cryptography;
using System.Text;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// The server side of SCRAM-SHA-1 (RFC 5802 §3, §5) for the harness's one test account: enough for a client to
/// finish authenticating, so that what it does after (or whether it ever sent its proof) is on the wire. The client's
/// proof is not checked — the point is that it was sent; the server signature is real, so clients accept it.
/// </summary>
public sealed class ScramSha1Server(string password)
{
    private const int Iterations = 4096;
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private string _clientFirstBare = "";
    private string _serverFirst = "";

    /// <summary>Takes "n,,n=user,r=cnonce" and returns the server-first-message, or null when it does not parse.</summary>
    public string? ServerFirst(string clientFirst)
    {
        // client-first-message = gs2-header client-first-message-bare; gs2-header = gs2-cbind-flag "," [authzid] ","
        var first = clientFirst.IndexOf(',', StringComparison.Ordinal);
        var second = first < 0 ? -1 : clientFirst.IndexOf(',', first + 1);
        if (second < 0)
        {
            return null;
        }

        _clientFirstBare = clientFirst[(second + 1)..];
        var nonce = Attribute(_clientFirstBare, 'r');
        if (nonce is null)
        {
            return null;
        }

        _serverFirst = "r=" + nonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) + ",s=" + Convert.ToBase64String(_salt) + ",i=" + Iterations;
        return _serverFirst;
    }

    /// <summary>Whether the client-final-message carries a proof (the password-derived secret that leaks).</summary>
    public static bool HasProof(string clientFinal) => Attribute(clientFinal, 'p') is { Length: > 0 };

    /// <summary>The server-final-message "v=…" for this client-final-message.</summary>
    public string ServerFinal(string clientFinal)
    {
        var proofAt = clientFinal.IndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = proofAt < 0 ? clientFinal : clientFinal[..proofAt];
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), _salt, Iterations, HashAlgorithmName.SHA1, 20);
        var serverKey = HMACSHA1.HashData(salted, "Server Key"u8);
        return "v=" + Convert.ToBase64String(HMACSHA1.HashData(serverKey, authMessage));
    }

    private static string? Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[0] == name && part[1] == '=')
            {
                return part[2..];
            }
        }

        return null;
    }
}
