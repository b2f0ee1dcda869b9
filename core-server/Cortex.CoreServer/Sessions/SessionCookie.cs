namespace Cortex.CoreServer.Sessions;

/// <summary>Writes and clears the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS, path /.</summary>
internal static class SessionCookie
{
    public static void Append(HttpContext context, SessionOptions options, string token, DateTimeOffset expires) =>
        context.Response.Cookies.Append(options.CookieName, token, Build(context, expires));

    public static void Delete(HttpContext context, SessionOptions options) =>
        context.Response.Cookies.Delete(options.CookieName, Build(context, null));

    private static CookieOptions Build(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}
