using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Principals;

namespace Cortex.CoreServer.Auth;

/// <summary>The principal and key behind the current request, set by <see cref="ApiKeyAuthenticationHandler"/>.</summary>
internal sealed record AuthenticatedPrincipal(Principal Principal, string KeyId);

internal static class HttpContextAuthExtensions
{
    /// <summary>The authenticated principal; endpoints under <c>/api/v1</c> always have one.</summary>
    public static Principal Principal(this HttpContext context) =>
        context.Features.Get<AuthenticatedPrincipal>()?.Principal
        ?? throw new CortexException(ProblemKind.Unauthenticated, "Authentication is required.");

    public static Actor Actor(this HttpContext context)
    {
        var authenticated = context.Features.Get<AuthenticatedPrincipal>();
        return new Actor(
            authenticated?.Principal.Id,
            authenticated?.KeyId,
            context.Request.Method,
            context.Request.Path.Value,
            context.Connection.RemoteIpAddress?.ToString());
    }
}
