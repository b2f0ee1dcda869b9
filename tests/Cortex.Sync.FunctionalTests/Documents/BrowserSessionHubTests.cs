using System.Net;
using System.Net.Http.Json;
using Cortex.Sync.FunctionalTests.Infrastructure;
using Cortex.SyncProtocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Cortex.Sync.FunctionalTests.Documents;

/// <summary>The web co-editor's way in: the hub accepts the session cookie on the WebSocket upgrade (a GET), keeps
/// the CSRF rule for the negotiate POST, and refuses cookie connections from another origin.</summary>
public sealed class BrowserSessionHubTests(SyncServer server) : IClassFixture<SyncServer>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_cookie_session_syncs_a_document_over_a_websocket_without_negotiation()
    {
        var (cookie, _, documentId) = await SignedInAsync("web-wes");
        // Same host, another port: what the browser sends when the web container's proxy forwards the host without it.
        await using var hub = Connect(cookie, negotiate: false, origin: $"http://{server.Url.Host}:1");
        await hub.StartAsync();

        var answer = await SyncAsync(hub, documentId);

        Assert.True(answer.Writable);
        Assert.Equal("browser body", DocumentBody.Read(LoadStep2(answer)));
    }

    [Fact]
    public async Task Negotiating_with_a_cookie_needs_the_csrf_token()
    {
        var (cookie, csrf, documentId) = await SignedInAsync("web-nel");
        await using var forged = Connect(cookie, negotiate: true);
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => forged.StartAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await using var hub = Connect(cookie, negotiate: true, csrf: csrf);
        await hub.StartAsync();
        Assert.True((await SyncAsync(hub, documentId)).Writable);
    }

    [Fact]
    public async Task A_cookie_websocket_from_another_origin_is_closed()
    {
        var (cookie, _, documentId) = await SignedInAsync("web-oz");
        await using var hub = Connect(cookie, negotiate: false, origin: "http://evil.example");
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await hub.StartAsync();
            await SyncAsync(hub, documentId);
        });
    }

    private async Task<(string Cookie, string Csrf, string DocumentId)> SignedInAsync(string handle)
    {
        var person = await server.CreatePrincipalAsync(handle, "member");
        using var admin = server.Client(server.AdminKey);
        using var password = await admin.PutAsJsonAsync($"/api/v1/principals/{person.Id}/password", new { password = Password });
        Assert.Equal(HttpStatusCode.NoContent, password.StatusCode);
        await server.CreateSubcortexAsync(server.AdminKey, handle + "-space");
        var threadId = await server.CreateThreadAsync(person.Key, handle + "-space", "From the browser", "browser body");

        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Url };
        using var signIn = await browser.PostAsJsonAsync("/api/v1/session", new { handle, password = Password });
        var session = await SyncServer.Ok(signIn);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        return (setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)], session.GetProperty("csrfToken").GetString()!, DocumentIds.Thread(threadId));
    }

    private HubConnection Connect(string cookie, bool negotiate, string? csrf = null, string? origin = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.Url, SyncHubRoutes.Path), http =>
            {
                http.Headers["Cookie"] = cookie;
                if (csrf is not null)
                {
                    http.Headers["X-CSRF-Token"] = csrf;
                }

                if (origin is not null)
                {
                    http.Headers["Origin"] = origin;
                }

                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = !negotiate;
            })
            .AddMessagePackProtocol(protocol => protocol.SerializerOptions = SyncSerializer.Options)
            .Build();

    private static Task<DocumentSyncAnswer> SyncAsync(HubConnection hub, string documentId) =>
        hub.InvokeAsync<DocumentSyncAnswer>(nameof(ISyncHub.SyncDocument),
            new DocumentSyncMessage { DocumentId = documentId, Kind = DocumentMessageKind.SyncStep1, Payload = [0] });

    private static Crdt.Core.Doc LoadStep2(DocumentSyncAnswer answer) => DocumentBody.Load([answer.Step2.Payload]);
}
