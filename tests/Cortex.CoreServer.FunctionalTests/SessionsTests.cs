using System.Net;
using System.Net.Http.Json;
using Cortex.CoreServer.FunctionalTests.Infrastructure;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Cortex.CoreServer.FunctionalTests;

/// <summary>Web UI sign-in (issue 7): passwords, the session cookie, CSRF, expiry, sign-out.</summary>
public sealed class SessionsTests(CortexApp app) : IClassFixture<CortexApp>
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Strict_cookie_and_returns_the_principal_and_a_CSRF_token()
    {
        var ann = await HumanWithPasswordAsync("sess-ann", Role.Member);
        using var browser = Browser();
        var response = await browser.PostAsJsonAsync("/api/v1/session", new { handle = ann.Handle, password = Password });
        var session = await Expect.Json(response, HttpStatusCode.OK);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("cortex_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(ann.Id, session.GetProperty("principal").GetProperty("id").GetString());
        Assert.Equal("member", session.GetProperty("principal").GetProperty("role").GetString());

        var me = await Expect.Json(await browser.GetAsync("/api/v1/session"), HttpStatusCode.OK);
        Assert.Equal(session.GetProperty("csrfToken").GetString(), me.GetProperty("csrfToken").GetString());
        var principal = await Expect.Json(await browser.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        Assert.Equal(ann.Handle, principal.GetProperty("handle").GetString());
    }

    [Fact]
    public async Task Passwords_and_session_tokens_are_stored_only_as_hashes()
    {
        var bea = await HumanWithPasswordAsync("sess-bea", Role.Member);
        using var browser = Browser(handleCookies: false);
        var response = await browser.PostAsJsonAsync("/api/v1/session", new { handle = bea.Handle, password = Password });
        await Expect.Status(response, HttpStatusCode.OK);
        var token = CookieValue(response);

        var hash = (string)(await app.Database.ScalarAsync($"SELECT password_hash FROM principals WHERE id = '{bea.Id}'"))!;
        Assert.DoesNotContain(Password, hash, StringComparison.Ordinal);
        Assert.Equal(1, Convert.FromBase64String(hash)[0]); // PasswordHasher's version 3 format (PBKDF2)
        Assert.Equal(0L, await app.Database.CountAsync("web_sessions", $"position('{token}' in encode(token_hash, 'escape')) > 0"));
        Assert.Equal(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)),
            (byte[])(await app.Database.ScalarAsync($"SELECT token_hash FROM web_sessions WHERE principal_id = '{bea.Id}'"))!);
    }

    [Theory]
    [InlineData("sess-cid", "wrong password")]
    [InlineData("sess-nobody", Password)]
    [InlineData("sess-nopass", Password)]
    public async Task A_failed_sign_in_says_only_that_the_handle_or_password_is_wrong_and_is_audited(string handle, string password)
    {
        await HumanWithPasswordAsync("sess-cid", Role.Member);
        if (handle == "sess-nopass")
        {
            await app.CreatePrincipalAsync("sess-nopass", Role.Member);
        }

        var before = await app.Database.CountAsync("audit_events", "action = 'session.sign-in' AND outcome = 'unauthenticated'");
        using var browser = Browser();
        var response = await browser.PostAsJsonAsync("/api/v1/session", new { handle, password });
        var problem = await Expect.Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("The handle or password is wrong.", problem.GetProperty("detail").GetString());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(before + 1, await app.Database.CountAsync("audit_events", "action = 'session.sign-in' AND outcome = 'unauthenticated'"));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_handle_for_a_while_even_for_the_right_password()
    {
        var mel = await HumanWithPasswordAsync("sess-mel", Role.Member);
        using var browser = Browser();
        for (var i = 0; i < 10; i++)
        {
            await Expect.Problem(
                await browser.PostAsJsonAsync("/api/v1/session", new { handle = mel.Handle, password = $"guess {i}" }),
                HttpStatusCode.Unauthorized,
                "unauthenticated");
        }

        var locked = await browser.PostAsJsonAsync("/api/v1/session", new { handle = mel.Handle, password = Password });
        await Expect.Problem(locked, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        app.Time.Advance(TimeSpan.FromMinutes(15));
        await SignInAsync(browser, mel.Handle);
    }

    [Fact]
    public async Task Missing_fields_are_a_validation_problem()
    {
        using var browser = Browser();
        var problem = await Expect.Problem(
            await browser.PostAsJsonAsync("/api/v1/session", new { handle = "" }), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("handle", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task A_cookie_authenticated_write_needs_the_CSRF_token_and_a_forged_one_writes_nothing()
    {
        var dan = await HumanWithPasswordAsync("sess-dan", Role.Member);
        using var browser = Browser();
        var csrf = await SignInAsync(browser, dan.Handle);

        var forged = await browser.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "csrf-forged", name = "Forged" });
        var problem = await Expect.Problem(forged, HttpStatusCode.Forbidden, "csrf");
        Assert.Contains("X-CSRF-Token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await app.Database.CountAsync("subcortexes", "slug = 'csrf-forged'"));

        using var wrong = Json(HttpMethod.Post, "/api/v1/subcortexes", new { slug = "csrf-forged", name = "Forged" }, "not-the-token");
        await Expect.Problem(await browser.SendAsync(wrong), HttpStatusCode.Forbidden, "csrf");

        using var genuine = Json(HttpMethod.Post, "/api/v1/subcortexes", new { slug = "csrf-genuine", name = "Genuine" }, csrf);
        await Expect.Status(await browser.SendAsync(genuine), HttpStatusCode.Created);

        // Reads need no token, and the session survived the forged attempts.
        await Expect.Status(await browser.GetAsync("/api/v1/subcortexes/csrf-genuine"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_API_key_wins_over_a_cookie_and_needs_no_CSRF_token()
    {
        var eve = await HumanWithPasswordAsync("sess-eve", Role.Member);
        using var browser = Browser();
        await SignInAsync(browser, eve.Handle);
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.AdminKey);
        var me = await Expect.Json(await browser.GetAsync("/api/v1/principals/me"), HttpStatusCode.OK);
        Assert.Equal(app.AdminId, me.GetProperty("id").GetString());
        await Expect.Status(
            await browser.PostAsJsonAsync("/api/v1/subcortexes", new { slug = "key-wins", name = "Key wins" }), HttpStatusCode.Created);
        await Expect.Problem(await browser.GetAsync("/api/v1/session"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working()
    {
        var fay = await HumanWithPasswordAsync("sess-fay", Role.Member);
        using var browser = Browser(handleCookies: false);
        var signIn = await browser.PostAsJsonAsync("/api/v1/session", new { handle = fay.Handle, password = Password });
        var csrf = (await Expect.Json(signIn, HttpStatusCode.OK)).GetProperty("csrfToken").GetString()!;
        var cookie = "cortex_session=" + CookieValue(signIn);

        using var withoutToken = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session");
        withoutToken.Headers.Add("Cookie", cookie);
        await Expect.Problem(await browser.SendAsync(withoutToken), HttpStatusCode.Forbidden, "csrf");

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session");
        signOut.Headers.Add("Cookie", cookie);
        signOut.Headers.Add("X-CSRF-Token", csrf);
        var signedOut = await browser.SendAsync(signOut);
        await Expect.Status(signedOut, HttpStatusCode.NoContent);
        Assert.Contains(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cortex_session=;", StringComparison.Ordinal));

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/v1/principals/me");
        replay.Headers.Add("Cookie", cookie);
        var problem = await Expect.Problem(await browser.SendAsync(replay), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("session has ended", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_expire_when_idle_slide_with_use_and_end_at_the_hard_limit()
    {
        var gus = await HumanWithPasswordAsync("sess-gus", Role.Member);
        using var idle = Browser();
        await SignInAsync(idle, gus.Handle);
        using var busy = Browser();
        await SignInAsync(busy, gus.Handle);

        // Defaults: 120 idle minutes, 24 hours at most. Use every 90 minutes keeps a session alive…
        for (var i = 0; i < 15; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(90));
            await Expect.Status(await busy.GetAsync("/api/v1/session"), HttpStatusCode.OK);
        }

        // …while the unused one ended after 120 minutes,
        await Expect.Problem(await idle.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized, "unauthenticated");

        // and even the busy one ends 24 hours after sign-in (15 × 90 min = 22.5 h so far).
        app.Time.Advance(TimeSpan.FromMinutes(90));
        await Expect.Problem(await busy.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_disabled_principal_is_signed_out_at_once()
    {
        var hal = await HumanWithPasswordAsync("sess-hal", Role.Member);
        using var browser = Browser();
        await SignInAsync(browser, hal.Handle);
        using var admin = app.AdminClient();
        await Expect.Status(
            await admin.PatchAsJsonAsync($"/api/v1/principals/{hal.Id}", new { disabled = true, version = 1 }), HttpStatusCode.OK);
        await Expect.Problem(await browser.GetAsync("/api/v1/principals/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var again = Browser();
        await Expect.Problem(
            await again.PostAsJsonAsync("/api/v1/session", new { handle = hal.Handle, password = Password }),
            HttpStatusCode.Unauthorized,
            "unauthenticated");
    }

    [Fact]
    public async Task Changing_ones_own_password_needs_the_current_one_and_ends_the_other_sessions()
    {
        var ivy = await HumanWithPasswordAsync("sess-ivy", Role.Member);
        using var here = Browser();
        var csrf = await SignInAsync(here, ivy.Handle);
        using var elsewhere = Browser();
        await SignInAsync(elsewhere, ivy.Handle);

        using var wrong = Json(HttpMethod.Put, $"/api/v1/principals/{ivy.Id}/password", new { password = "a new long passphrase", currentPassword = "nope" }, csrf);
        var problem = await Expect.Problem(await here.SendAsync(wrong), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("currentPassword", out _));

        using var change = Json(HttpMethod.Put, $"/api/v1/principals/{ivy.Id}/password", new { password = "a new long passphrase", currentPassword = Password }, csrf);
        await Expect.Status(await here.SendAsync(change), HttpStatusCode.NoContent);

        await Expect.Status(await here.GetAsync("/api/v1/session"), HttpStatusCode.OK);
        await Expect.Problem(await elsewhere.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var fresh = Browser();
        await Expect.Status(
            await fresh.PostAsJsonAsync("/api/v1/session", new { handle = ivy.Handle, password = "a new long passphrase" }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_admins_set_other_principals_passwords_and_agents_have_none()
    {
        var jon = await app.CreatePrincipalAsync("sess-jon", Role.Reviewer);
        var kit = await app.CreatePrincipalAsync("sess-kit", Role.Member);
        var bot = await app.CreatePrincipalAsync("sess-bot", Role.Agent);

        using var reviewer = app.Client(jon.Key);
        await Expect.Problem(
            await reviewer.PutAsJsonAsync($"/api/v1/principals/{kit.Id}/password", new { password = "reviewers cannot do this" }),
            HttpStatusCode.Forbidden,
            "forbidden");
        await Expect.Problem(
            await reviewer.PutAsJsonAsync($"/api/v1/principals/{app.AdminId}/password", new { password = "reviewers cannot do this" }),
            HttpStatusCode.Forbidden,
            "forbidden");

        using var admin = app.AdminClient();
        await Expect.Status(
            await admin.PutAsJsonAsync($"/api/v1/principals/{kit.Id}/password", new { password = "set by the admin" }), HttpStatusCode.NoContent);
        var agent = await Expect.Problem(
            await admin.PutAsJsonAsync($"/api/v1/principals/{bot.Id}/password", new { password = "agents use keys only" }),
            HttpStatusCode.BadRequest,
            "validation");
        Assert.True(agent.GetProperty("errors").TryGetProperty("password", out _));
        await Expect.Problem(
            await admin.PutAsJsonAsync($"/api/v1/principals/{kit.Id}/password", new { password = "short" }), HttpStatusCode.BadRequest, "validation");
        await Expect.Problem(
            await admin.PutAsJsonAsync($"/api/v1/principals/{kit.Id}/password", new { password = "my handle is sess-kit" }),
            HttpStatusCode.BadRequest,
            "validation");
        await Expect.Problem(
            await admin.PutAsJsonAsync("/api/v1/principals/01NOSUCHPRINCIPAL000000000/password", new { password = "nobody has this one" }),
            HttpStatusCode.NotFound,
            "not-found");
        Assert.Equal(1L, await app.Database.CountAsync("audit_events", $"action = 'principal.password.set' AND target_id = '{kit.Id}'"));

        using var browser = Browser();
        await SignInAsync(browser, kit.Handle, "set by the admin");
    }

    [Fact]
    public async Task Without_a_session_who_am_i_and_sign_out_are_401_problems()
    {
        using var browser = Browser();
        await Expect.Problem(await browser.GetAsync("/api/v1/session"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Expect.Problem(await browser.DeleteAsync("/api/v1/session"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var junk = new HttpRequestMessage(HttpMethod.Get, "/api/v1/principals/me");
        junk.Headers.Add("Cookie", "cortex_session=not-a-token");
        var refused = await browser.SendAsync(junk);
        await Expect.Problem(refused, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cortex_session=;", StringComparison.Ordinal));

        // A dead session cookie is cleared by who-am-I too, so the browser stops sending it.
        using var dead = new HttpRequestMessage(HttpMethod.Get, "/api/v1/session");
        dead.Headers.Add("Cookie", "cortex_session=" + new string('A', 43));
        var ended = await browser.SendAsync(dead);
        var problem = await Expect.Problem(ended, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("session has ended", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(ended.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cortex_session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_markdown_preview_is_rendered_and_sanitized_by_the_server()
    {
        var lee = await HumanWithPasswordAsync("sess-lee", Role.Member);
        using var browser = Browser();
        var csrf = await SignInAsync(browser, lee.Handle);
        using var preview = Json(
            HttpMethod.Post,
            "/api/v1/markdown/preview",
            new { markdown = "**bold** <script>alert(1)</script> [x](javascript:alert(1))" },
            csrf);
        var html = (await Expect.Json(await browser.SendAsync(preview), HttpStatusCode.OK)).GetProperty("html").GetString()!;
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);

        using var anonymous = Browser();
        await Expect.Problem(
            await anonymous.PostAsJsonAsync("/api/v1/markdown/preview", new { markdown = "x" }), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private HttpClient Browser(bool handleCookies = true) =>
        app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = handleCookies, AllowAutoRedirect = false });

    private async Task<TestPrincipal> HumanWithPasswordAsync(string handle, Role role)
    {
        var existing = await app.Database.ScalarAsync($"SELECT id FROM principals WHERE handle = '{handle}'");
        if (existing is string id)
        {
            return new TestPrincipal(id, handle, "", "");
        }

        var principal = await app.CreatePrincipalAsync(handle, role);
        using var admin = app.AdminClient();
        await Expect.Status(
            await admin.PutAsJsonAsync($"/api/v1/principals/{principal.Id}/password", new { password = Password }), HttpStatusCode.NoContent);
        return principal;
    }

    /// <summary>Signs in with the client's cookie container and returns the CSRF token.</summary>
    private static async Task<string> SignInAsync(HttpClient browser, string handle, string password = Password)
    {
        var session = await Expect.Json(
            await browser.PostAsJsonAsync("/api/v1/session", new { handle, password }), HttpStatusCode.OK);
        return session.GetProperty("csrfToken").GetString()!;
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, object body, string? csrf)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        return request;
    }

    private static string CookieValue(HttpResponseMessage response)
    {
        var header = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cortex_session=", StringComparison.Ordinal));
        return header["cortex_session=".Length..header.IndexOf(';', StringComparison.Ordinal)];
    }
}

/// <summary>Serving the built web UI: static files, the SPA fallback, and its security headers.</summary>
public sealed class WebAppTests(WebAppTests.App app) : IClassFixture<WebAppTests.App>
{
    [Fact]
    public async Task Client_routes_get_index_html_with_a_CSP_that_forbids_inline_scripts()
    {
        using var client = app.Client();
        foreach (var path in new[] { "/", "/s/ops", "/t/01ABC", "/settings/keys" })
        {
            var response = await client.GetAsync(path);
            await Expect.Status(response, HttpStatusCode.OK);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<div id=\"app\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Hashed_assets_are_cached_forever_and_server_paths_never_fall_back_to_the_app()
    {
        using var client = app.Client();
        var asset = await client.GetAsync("/assets/app-1234.js");
        await Expect.Status(asset, HttpStatusCode.OK);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("console.log('cortex');", await asset.Content.ReadAsStringAsync());

        await Expect.Status(await client.GetAsync("/assets/missing.js"), HttpStatusCode.NotFound);
        using var admin = app.AdminClient();
        await Expect.Problem(await admin.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(
            "alive",
            (await Expect.Json(await client.GetAsync("/healthz"), HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    public sealed class App : CortexApp
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "cortex-web-" + Guid.NewGuid().ToString("N"));

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_root, recursive: true);
        }

        protected override void Configure(IDictionary<string, string?> settings)
        {
            Directory.CreateDirectory(Path.Combine(_root, "assets"));
            File.WriteAllText(
                Path.Combine(_root, "index.html"),
                "<!doctype html><html><body><div id=\"app\"></div><script type=\"module\" src=\"/assets/app-1234.js\"></script></body></html>");
            File.WriteAllText(Path.Combine(_root, "assets", "app-1234.js"), "console.log('cortex');");
            settings["Cortex:Web:Root"] = _root;
        }
    }
}
