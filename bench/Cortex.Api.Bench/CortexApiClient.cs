using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cortex.Api.Bench;

internal sealed class CortexApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ConcurrentBag<string> _created = [];
    private string[]? _createdSnapshot;

    public CortexApiClient(Uri baseUrl, string key, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public IReadOnlyList<string> CreatedThreadIds => _createdSnapshot ??= [.. _created];

    public async Task<string> CreateSubcortexAsync()
    {
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..10];
        using var response = await _http.PostAsJsonAsync("/api/v1/subcortexes", new { slug, name = "Benchmark " + slug, description = "load benchmark" }).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return slug;
    }

    public async Task<bool> CreateThreadAsync(string slug, int i)
    {
        using var response = await _http.PostAsJsonAsync(
            $"/api/v1/subcortexes/{slug}/threads",
            new { title = $"Load thread {i}", body = $"Body of **thread {i}** with a [link](https://example.com/{i}).", kind = "discussion" }).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
        _created.Add(doc.RootElement.GetProperty("id").GetString()!);
        return true;
    }

    public async Task<bool> GetThreadAsync(string id)
    {
        using var response = await _http.GetAsync($"/api/v1/threads/{id}", HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _http.Dispose();
}
