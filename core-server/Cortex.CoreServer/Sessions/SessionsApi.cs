using System.Globalization;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Database;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Authorization;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// <c>/api/v1/session</c> (sign in, who am I, sign out) and <c>PUT /api/v1/principals/{id}/password</c>.
/// Only human principals sign in with passwords; agents use API keys.
/// </summary>
internal static class SessionsApi
{
    private const string WrongCredentials = "The handle or password is wrong.";

    // Verifying against this when a handle has no password keeps sign-in time from revealing which handles exist.
    private static readonly Principal Nobody = new()
    {
        Id = "",
        Handle = "",
        DisplayName = "",
        Kind = PrincipalKind.Human,
        Role = Role.Reader,
    };

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Principal>().HashPassword(Nobody, SessionTokens.New()));

    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/session", SignIn).AllowAnonymous();
        api.MapGet("/session", GetSession).AllowAnonymous();
        api.MapDelete("/session", SignOut).AllowAnonymous();
        api.MapPut("/principals/{id}/password", SetPassword).RequireAuthorization();
        return api;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> SignIn(
        HttpContext context,
        WriteSession session,
        WebSessionStore store,
        IPasswordHasher<Principal> hasher,
        IOptions<SessionOptions> options,
        AuditLog audit,
        SignInThrottle throttle,
        TimeProvider time,
        SignInRequest request,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Handle))
        {
            errors["handle"] = ["Required."];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["Required."];
        }

        if (errors.Count > 0)
        {
            throw CortexException.Invalid(errors);
        }

        var handle = request.Handle!.Trim();
        if (throttle.RetryAfter(handle) is { } wait)
        {
            // Returned, not thrown: the exception handler would drop the Retry-After header.
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problem(
                context,
                ProblemKind.RateLimited,
                $"Too many failed sign-ins for this handle; try again in {Math.Max(1, seconds / 60)} minute(s).");
        }

        var credentials = await store.FindByHandleAsync(handle, cancellationToken);
        var verdict = hasher.VerifyHashedPassword(
            credentials?.Principal ?? Nobody, credentials?.PasswordHash ?? DummyHash.Value, request.Password!);
        var refusal = credentials switch
        {
            null => "unknown handle",
            { PasswordHash: null } => "no password set",
            _ when verdict == PasswordVerificationResult.Failed => "wrong password",
            { Principal.Disabled: true } => "principal disabled",
            { Principal.Kind: not PrincipalKind.Human } => "agents sign in with API keys",
            _ => null,
        };
        if (refusal is not null)
        {
            throttle.Failed(handle);
            var actor = Actor(context, credentials?.Principal.Id, null);
            await audit.RecordAsync(
                new AuditEntry("session.sign-in", AuditOutcome.Unauthenticated, actor, "principal", credentials?.Principal.Id, refusal),
                cancellationToken);
            throw new CortexException(ProblemKind.Unauthenticated, WrongCredentials);
        }

        throttle.Succeeded(handle);
        var principal = credentials!.Principal;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await WebSessionStore.SetPasswordHashAsync(session, principal.Id, hasher.HashPassword(principal, request.Password!), cancellationToken);
        }

        var settings = options.Value;
        if (context.Request.Cookies.TryGetValue(settings.CookieName, out var previous) && SessionTokens.IsWellFormed(previous))
        {
            await WebSessionStore.RevokeByTokenAsync(session, SessionTokens.Hash(previous!), cancellationToken);
        }

        var now = time.GetUtcNow();
        var token = SessionTokens.New();
        var csrfToken = SessionTokens.New();
        var absoluteExpiresAt = now + settings.Max;
        var expiresAt = now + settings.Idle < absoluteExpiresAt ? now + settings.Idle : absoluteExpiresAt;
        var sessionId = await WebSessionStore.CreateAsync(
            session,
            principal.Id,
            SessionTokens.Hash(token),
            csrfToken,
            now,
            expiresAt,
            absoluteExpiresAt,
            context.Connection.RemoteIpAddress?.ToString(),
            Truncate(context.Request.Headers.UserAgent.ToString(), 300),
            cancellationToken);
        await WebSessionStore.PruneAsync(session, now, cancellationToken);
        session.Audit(new AuditEntry(
            "session.sign-in", AuditOutcome.Succeeded, Actor(context, principal.Id, sessionId), "principal", principal.Id));
        await session.CommitAsync(cancellationToken);

        SessionCookie.Append(context, settings, token, settings.Max);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionResponse(principal, csrfToken, expiresAt));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetSession(
        HttpContext context, IOptions<SessionOptions> options)
    {
        var (web, problem) = await FindWebSessionAsync(context, options.Value);
        if (web is null)
        {
            return problem!;
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionResponse(context.Principal(), web.CsrfToken, web.ExpiresAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SignOut(
        HttpContext context, WriteSession session, IOptions<SessionOptions> options, CancellationToken cancellationToken)
    {
        var (web, problem) = await FindWebSessionAsync(context, options.Value);
        if (web is null)
        {
            return problem!;
        }

        await WebSessionStore.RevokeAsync(session, web.SessionId, cancellationToken);
        session.Audit(new AuditEntry("session.sign-out", AuditOutcome.Succeeded, context.Actor(), "principal", context.Principal().Id));
        await session.CommitAsync(cancellationToken);
        SessionCookie.Delete(context, options.Value);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SetPassword(
        HttpContext context,
        WriteSession session,
        IPasswordHasher<Principal> hasher,
        string id,
        SetPasswordRequest request,
        CancellationToken cancellationToken)
    {
        var me = context.Principal();
        var self = me.Id == id;
        if (!self)
        {
            me.Demand(CortexAction.UpdatePrincipal, Resource.OwnedBy(ResourceKind.Principal, id));
        }

        var target = await WebSessionStore.FindByIdAsync(session, id, cancellationToken)
            ?? throw CortexException.NotFound("The principal");
        if (target.Principal.Kind != PrincipalKind.Human)
        {
            throw CortexException.Invalid("password", "Agents authenticate with API keys, not passwords.");
        }

        var errors = PasswordRules.Validate(request.Password, target.Principal.Handle);
        if (self && target.PasswordHash is not null
            && (request.CurrentPassword is null
                || hasher.VerifyHashedPassword(target.Principal, target.PasswordHash, request.CurrentPassword) == PasswordVerificationResult.Failed))
        {
            errors.Add("currentPassword", "Is not your current password.");
        }

        if (!errors.IsValid)
        {
            throw CortexException.Invalid(errors.ToDictionary());
        }

        await WebSessionStore.SetPasswordHashAsync(session, id, hasher.HashPassword(target.Principal, request.Password!), cancellationToken);

        // A new password ends every other session of the principal: whoever knew the old one is signed out.
        var keep = self ? context.Features.Get<WebSession>()?.SessionId : null;
        await WebSessionStore.RevokeAllAsync(session, id, keep, cancellationToken);
        session.Audit(new AuditEntry("principal.password.set", AuditOutcome.Succeeded, context.Actor(), "principal", id));
        await session.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The request's web session, or the problem to answer: 401 without one (with the reason a cookie was refused, and
    /// clearing that cookie), 403 for a failed CSRF check, 404 for API-key callers. Returned rather than thrown, because
    /// the exception handler would drop the cookie-clearing header.
    /// </summary>
    private static async Task<(WebSession? Session, ProblemHttpResult? Problem)> FindWebSessionAsync(
        HttpContext context, SessionOptions options)
    {
        if (context.Features.Get<WebSession>() is { } web)
        {
            return (web, null);
        }

        if (context.Features.Get<CsrfRejection>() is { } rejection)
        {
            return (null, Problem(context, SessionAuthenticationHandler.CsrfProblem, rejection.Detail));
        }

        if (context.Features.Get<AuthenticatedPrincipal>() is not null)
        {
            return (null, Problem(context, ProblemKind.NotFound, "This request was authenticated with an API key; it has no web session."));
        }

        var result = await context.AuthenticateAsync(SessionAuthenticationHandler.SchemeName);
        if (result.Failure is not null)
        {
            SessionCookie.Delete(context, options);
        }

        return (null, Problem(context, ProblemKind.Unauthenticated, result.Failure?.Message ?? "You are not signed in."));
    }

    private static ProblemHttpResult Problem(HttpContext context, ProblemKind kind, string detail) => TypedResults.Problem(
        detail: detail,
        instance: context.Request.Path,
        statusCode: kind.Status,
        title: kind.Title,
        type: kind.Type);

    private static Actor Actor(HttpContext context, string? principalId, string? sessionId) => new(
        principalId,
        sessionId is null ? null : "session:" + sessionId,
        context.Request.Method,
        context.Request.Path.Value,
        context.Connection.RemoteIpAddress?.ToString());

    private static string? Truncate(string value, int max) =>
        value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
