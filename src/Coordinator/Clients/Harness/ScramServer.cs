using System.Security.Cryptography;
using System.Text;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// The server side of SCRAM-SHA-1 / SCRAM-SHA-256 and their -PLUS variants (RFC 5802 §3, §5, §6; RFC 7677) for
/// the harness's one test account: enough for a client to finish authenticating, so that what it does after (or
/// whether it ever sent its proof) is on the wire. The client's proof is not checked — the point is that it was
/// sent; the server signature is real and covers the client's own <c>c=</c> attribute, so clients accept it.
/// </summary>
public sealed class ScramServer
{
    private const int Iterations = 4096;
    private readonly string _password;
    private readonly HashAlgorithmName _hash;
    private readonly byte[] _salt;
    private readonly string _serverNonce;
    private string _clientFirstBare = "";
    private string _serverFirst = "";

    public ScramServer(string mechanism, string password)
        : this(mechanism, password, RandomNumberGenerator.GetBytes(16), Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)))
    {
    }

    /// <summary>With a fixed salt and server nonce: the RFC 5802 §5 / RFC 7677 §3 examples are reproducible.</summary>
    internal ScramServer(string mechanism, string password, byte[] salt, string serverNonce)
    {
        Mechanism = mechanism;
        _password = password;
        _salt = salt;
        _serverNonce = serverNonce;
        _hash = mechanism.StartsWith("SCRAM-SHA-256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
    }

    /// <summary>The mechanisms this class speaks.</summary>
    public static readonly IReadOnlyList<string> Mechanisms = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1"];

    public string Mechanism { get; }

    /// <summary>Whether the mechanism is a -PLUS one (channel binding required, RFC 5802 §6).</summary>
    public bool IsPlus => Mechanism.EndsWith("-PLUS", StringComparison.Ordinal);

    /// <summary>
    /// The gs2-cbind-flag exactly as the client sent it (RFC 5802 §7): "n" (no channel binding support), "y" (supports
    /// it but believes the server does not — a downgrade detector), or "p=&lt;type&gt;" (binds to that type).
    /// </summary>
    public string CbindFlag { get; private set; } = "";

    /// <summary>The gs2-header ("p=tls-unique,," …): the prefix of the client's <c>c=</c> data.</summary>
    public string Gs2Header { get; private set; } = "";

    /// <summary>Takes the client-first-message and returns the server-first-message, or null when it does not parse.</summary>
    public string? ServerFirst(string clientFirst)
    {
        // client-first-message = gs2-header client-first-message-bare; gs2-header = gs2-cbind-flag "," [authzid] ","
        var first = clientFirst.IndexOf(',', StringComparison.Ordinal);
        var second = first < 0 ? -1 : clientFirst.IndexOf(',', first + 1);
        if (second < 0)
        {
            return null;
        }

        CbindFlag = clientFirst[..first];
        Gs2Header = clientFirst[..(second + 1)];
        _clientFirstBare = clientFirst[(second + 1)..];
        var nonce = Attribute(_clientFirstBare, 'r');
        if (nonce is null)
        {
            return null;
        }

        _serverFirst = "r=" + nonce + _serverNonce + ",s=" + Convert.ToBase64String(_salt) + ",i=" + Iterations;
        return _serverFirst;
    }

    /// <summary>Whether the client-final-message carries a proof (the password-derived secret that leaks).</summary>
    public static bool HasProof(string clientFinal) => Attribute(clientFinal, 'p') is { Length: > 0 };

    /// <summary>
    /// The channel-binding data the client put into <c>c=</c> after its gs2-header (RFC 5802 §7: c = base64(gs2-header
    /// [cbind-data])), or null when <c>c=</c> is missing, not base64, or does not start with the header it sent first.
    /// </summary>
    public byte[]? ChannelBindingData(string clientFinal)
    {
        var c = Attribute(clientFinal, 'c');
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(c ?? "");
        }
        catch (FormatException)
        {
            return null;
        }

        var header = Encoding.UTF8.GetBytes(Gs2Header);
        return c is null || !raw.AsSpan().StartsWith(header) ? null : raw[header.Length..];
    }

    /// <summary>The server-final-message "v=…" for this client-final-message.</summary>
    public string ServerFinal(string clientFinal)
    {
        var proofAt = clientFinal.IndexOf(",p=", StringComparison.Ordinal);
        var withoutProof = proofAt < 0 ? clientFinal : clientFinal[..proofAt];
        var authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + _serverFirst + "," + withoutProof);
        var length = _hash == HashAlgorithmName.SHA256 ? 32 : 20;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), _salt, Iterations, _hash, length);
        var serverKey = Hmac(salted, "Server Key"u8.ToArray());
        return "v=" + Convert.ToBase64String(Hmac(serverKey, authMessage));
    }

    private byte[] Hmac(byte[] key, byte[] data) =>
        _hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

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
