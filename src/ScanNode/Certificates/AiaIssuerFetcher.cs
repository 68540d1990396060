using System.Net.Http.Headers;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Fetches a certificate named by an AIA caIssuers URL (RFC 5280 §4.2.2.1: a DER certificate, or a PEM one as some
/// CAs publish), opt-in only (<c>--fetch-aia</c>): plain http (RFC 5280 says caIssuers is http or ldap; https would
/// need the very trust being decided), one GET, the body bounded in bytes and the request in time, no redirects
/// followed. What the server sends is untrusted input for the certificate parser.
/// </summary>
public sealed class AiaIssuerFetcher(TimeSpan? timeout = null, int maxBytes = AiaIssuerFetcher.DefaultMaxBytes) : IDisposable
{
    /// <summary>A certificate is a few KiB; 64 KiB leaves room for a PEM file with comments.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        MaxResponseContentBufferSize = maxBytes,
    };

    /// <summary>The body of <paramref name="url"/>, or the outcome word that says why not (see <c>AiaFetchFacts.Outcome</c>).</summary>
    public async Task<(byte[]? Body, string Outcome)> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return (null, "not_http");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pkix-cert"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, "http_error");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[maxBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total > maxBytes ? (null, "too_large") : (buffer[..total], "fetched");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, "timeout");
        }
        catch (HttpRequestException)
        {
            return (null, "http_error");
        }
    }

    public void Dispose() => _http.Dispose();
}
