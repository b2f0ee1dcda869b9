using System.Net.Http.Headers;

namespace Cortex.ScaleOut.Tests.Infrastructure;

/// <summary>One cortex-server process of the cluster, on its own loopback port.</summary>
internal sealed class ServerInstance(string name, int port, ChildProcess process) : IAsyncDisposable
{
    public string Name { get; } = name;

    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");

    public string Output => process.Output;

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
