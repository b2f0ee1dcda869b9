namespace Cortex.CoreServer.Sessions;

/// <summary>Writes and clears the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS, path /.</summary>
internal static class SessionCookie
{
    /// <summary>
    /// Max-Age (relative) rather than Expires (a date), so a skewed browser clock cannot cut a session short or keep the
    /// cookie longer; the server enforces the real idle and hard limits either way.
    /// </summary>
    public static void Append(HttpContext context, SessionOptions options, string token, TimeSpan maxAge) =>
        context.Response.Cookies.Append(options.CookieName, token, Build(context, maxAge));

    public static void Delete(HttpContext context, SessionOptions options) =>
        context.Response.Cookies.Delete(options.CookieName, Build(context, null));

    private static CookieOptions Build(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        MaxAge = maxAge,
    };
}
