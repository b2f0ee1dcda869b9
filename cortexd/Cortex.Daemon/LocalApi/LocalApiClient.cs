using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cortex.Daemon.Workspace;

namespace Cortex.Daemon.LocalApi;

/// <summary>The CLI's side of the loopback API: finds the workspace's running daemon and calls it with its token.</summary>
internal sealed class LocalApiClient : IDisposable
{
    private readonly HttpClient _http;

    private LocalApiClient(HttpClient http) => _http = http;

    /// <exception cref="WorkspaceException">no workspace here, or no daemon running for it.</exception>
    public static LocalApiClient Connect(string folder, TimeSpan timeout)
    {
        var workspace = WorkspacePaths.Find(folder)
            ?? throw new WorkspaceException($"no Cortex workspace at or above {Path.GetFullPath(folder)}; run 'cortex start' there");
        var endpoint = DaemonEndpoint.Read(workspace);
        if (endpoint is null || !endpoint.IsAlive())
        {
            throw new WorkspaceException($"cortexd is not running for {workspace.Root}; run 'cortex start'");
        }

        var http = new HttpClient { BaseAddress = endpoint.BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalToken.Read(workspace));
        return new LocalApiClient(http);
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken = default) =>
        _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);

    public Task<HttpResponseMessage> PostAsync<T>(string path, T body, CancellationToken cancellationToken = default) =>
        _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);

    /// <summary>The problem's title and detail as one line, for a failed call.</summary>
    public static async Task<string> DescribeFailureAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(text);
            var title = json.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return $"the daemon answered {(int)response.StatusCode}";
        }
    }

    public void Dispose() => _http.Dispose();
}
