using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// Serves the built web UI (<c>web/dist</c>) as static files, with index.html for every other GET that is not a server
/// path (client-side routes), and a Content-Security-Policy that allows no inline or third-party script.
/// </summary>
public static class WebAppExtensions
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Call before <c>UseAuthentication</c> so asset requests cost no session lookup.</summary>
    public static WebApplication UseCortexWebApp(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cortex.WebApp");
        var configured = app.Services.GetRequiredService<IOptions<WebAppOptions>>().Value.Root;
        var candidates = Candidates(configured, app.Environment.ContentRootPath).ToList();
        var root = candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "index.html")));
        if (root is null)
        {
            Log.WebAppMissing(logger, string.Join(", ", candidates));
            return app;
        }

        Log.WebAppServed(logger, root);
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = static file =>
            {
                var immutable = file.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal);
                SecurityHeaders(file.Context.Response, immutable ? "public, max-age=31536000, immutable" : "no-cache");
            },
        });

        app.MapMethods($"/{{**path:nonfile:{WebAppRouteConstraint.Name}}}", [HttpMethods.Get, HttpMethods.Head], async context =>
            {
                SecurityHeaders(context.Response, "no-cache");
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.SendFileAsync(files.GetFileInfo("index.html"), context.RequestAborted);
            })
            .WithOrder(int.MaxValue)
            .WithDisplayName("Web UI")
            .AllowAnonymous();
        return app;
    }

    private static void SecurityHeaders(HttpResponse response, string cacheControl)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers[HeaderNames.CacheControl] = cacheControl;
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    private static IEnumerable<string> Candidates(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return Path.GetFullPath(configured);
            yield break;
        }

        yield return Path.Combine(AppContext.BaseDirectory, "wwwroot");
        foreach (var start in new[] { AppContext.BaseDirectory, contentRoot, Directory.GetCurrentDirectory() }.Distinct())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                yield return Path.Combine(dir.FullName, "web", "dist");
            }
        }
    }
}
