using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>
/// Behind the cortex-web nginx (TLS ends there), X-Forwarded-Proto decides whether the session cookie is Secure — but
/// only when the request comes from a configured proxy network; anyone else's header is ignored.
/// </summary>
public sealed class ProxyHeadersTests(ProxyHeadersTests.App app) : IClassFixture<ProxyHeadersTests.App>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_trusted_proxy_forwarding_https_gets_a_Secure_session_cookie()
    {
        var cookie = await SignInCookieAsync(app, "proxy-ann", forwardedProto: "https");
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Plain_http_through_the_trusted_proxy_gets_no_Secure_flag()
    {
        var cookie = await SignInCookieAsync(app, "proxy-bea", forwardedProto: "http");
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_when_no_proxy_is_configured()
    {
        var direct = new CortexApp();
        await direct.InitializeAsync();
        try
        {
            var cookie = await SignInCookieAsync(direct, "proxy-cid", forwardedProto: "https");
            Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await direct.DisposeAsync();
        }
    }

    private static async Task<string> SignInCookieAsync(CortexApp target, string handle, string forwardedProto)
    {
        var principal = await target.CreatePrincipalAsync(handle, Role.Member);
        using (var admin = target.AdminClient())
        {
            await Expect.Status(
                await admin.PutAsJsonAsync($"/api/v1/principals/{principal.Id}/password", new { password = Password }), HttpStatusCode.NoContent);
        }

        using var browser = target.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = JsonContent.Create(new { handle, password = Password }) };
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var response = await browser.SendAsync(request);
        await Expect.Status(response, HttpStatusCode.OK);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"));
    }

    public sealed class App : CortexApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Cortex:Proxy:KnownNetworks:0"] = "127.0.0.0/8";
            settings["Cortex:Proxy:KnownNetworks:1"] = "::1/128";
        }
    }
}
