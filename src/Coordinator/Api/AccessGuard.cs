using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>
/// Who may call when a token is configured. The API wants <c>Authorization: Bearer TOKEN</c>. A browser cannot send
/// that header on navigation, so the dashboard also accepts <c>/dashboard?token=TOKEN</c> once: it answers with an
/// HttpOnly, SameSite=Strict cookie scoped to <c>/dashboard</c> and redirects to the same URL without the token (so it
/// leaves the address bar and history). The cookie holds an HMAC of the token, not the token: it opens the read-only
/// dashboard and nothing else — the API's pause/cancel/rescan still need the header, so a cross-site request riding
/// on the cookie could do nothing even if SameSite failed. Every comparison is of SHA-256 digests in constant time,
/// so neither content nor length leaks through timing. <c>GET /</c> is open: it only redirects.
/// </summary>
public sealed class AccessGuard(string token)
{
    public const string CookieName = "xmppscan_dashboard";

    private readonly byte[] _bearer = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token));
    private readonly byte[] _token = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    private readonly string _cookie = Convert.ToBase64String(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "xmppscan dashboard cookie v1"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private byte[] CookieDigest => field ??= SHA256.HashData(Encoding.UTF8.GetBytes(_cookie));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path == "/" || Same(_bearer, request.Headers.Authorization.ToString()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var dashboard = request.Path.StartsWithSegments("/dashboard") && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        if (dashboard && request.Cookies.TryGetValue(CookieName, out var cookie) && Same(CookieDigest, cookie))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (dashboard && request.Path == "/dashboard" && request.Query.TryGetValue("token", out var given))
        {
            if (!Same(_token, given.ToString()))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "wrong token").ConfigureAwait(false);
                return;
            }

            context.Response.Cookies.Append(CookieName, _cookie, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/dashboard",
                IsEssential = true,
            });
            var rest = QueryString.Create(request.Query.Where(q => q.Key != "token"));
            context.Response.Redirect("/dashboard" + rest);
            return;
        }

        await Refuse(context, StatusCodes.Status401Unauthorized,
            dashboard ? "the dashboard needs the token once: open /dashboard?token=TOKEN" : "a bearer token is required").ConfigureAwait(false);
    }

    private static bool Same(byte[] expectedDigest, string given) =>
        CryptographicOperations.FixedTimeEquals(expectedDigest, SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    private static Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(new ErrorView(message), ApiJsonContext.Default.ErrorView);
    }
}
