namespace Cortex.CoreServer.Sessions;

/// <summary>
/// Keeps the web UI's fallback route off the server's own paths, so an unknown <c>/api/…</c> URL is a 404 problem,
/// not the SPA's index.html.
/// </summary>
internal sealed class WebAppRouteConstraint : IRouteConstraint
{
    public const string Name = "webapp";

    private static readonly string[] ServerPrefixes = ["api", "hubs", "admin", "healthz", "readyz", "metrics"];

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        if (!values.TryGetValue(routeKey, out var value) || value is not string { Length: > 0 } path)
        {
            return true;
        }

        var first = path.Split('/', 2)[0];
        return !ServerPrefixes.Contains(first, StringComparer.OrdinalIgnoreCase);
    }
}
