using System.Security.Claims;
using System.Text.Encodings.Web;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Sessions;

/// <summary>The web session behind a cookie-authenticated request.</summary>
internal sealed record WebSession(string SessionId, string CsrfToken, DateTimeOffset ExpiresAt);

/// <summary>Set when a cookie-authenticated unsafe request lacked the session's CSRF token.</summary>
internal sealed record CsrfRejection(string Detail);

/// <summary>
/// Authenticates the web UI's session cookie. Unsafe methods (anything but GET, HEAD, OPTIONS, TRACE) must also send
/// the session's CSRF token in <c>X-CSRF-Token</c>; without it the cookie does not authenticate the request at all,
/// so a forged cross-site request runs as nobody (fail closed) and gets a 403 <c>csrf</c> problem.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    WebSessionStore sessions,
    IOptions<SessionOptions> sessionOptions,
    AuditLog audit,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Session";
    public const string CsrfHeader = "X-CSRF-Token";

    public static readonly ProblemKind CsrfProblem =
        new("csrf", "The request lacks this session's CSRF token.", StatusCodes.Status403Forbidden);

    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var cookieName = sessionOptions.Value.CookieName;
        if (!Request.Cookies.TryGetValue(cookieName, out var token) || string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        if (!SessionTokens.IsWellFormed(token))
        {
            return AuthenticateResult.Fail("The session cookie is malformed; sign in again.");
        }

        var now = time.GetUtcNow();
        var active = await sessions.FindActiveAsync(SessionTokens.Hash(token), now, Context.RequestAborted);
        if (active is null)
        {
            return AuthenticateResult.Fail("Your session has ended; sign in again.");
        }

        if (active.Principal.Disabled || active.Principal.Kind != PrincipalKind.Human)
        {
            return AuthenticateResult.Fail("The principal is disabled.");
        }

        if (!IsSafe(Request.Method) && !SessionTokens.CsrfMatches(Request.Headers[CsrfHeader].ToString(), active.CsrfToken))
        {
            var rejection = new CsrfRejection(
                $"Cookie-authenticated {Request.Method} requests must send the session's CSRF token in {CsrfHeader} (from GET /api/v1/session).");
            Context.Features.Set(rejection);
            return AuthenticateResult.Fail(rejection.Detail);
        }

        var expiresAt = active.ExpiresAt;
        if (now - active.LastSeenAt >= TouchInterval)
        {
            expiresAt = Min(now + sessionOptions.Value.Idle, active.AbsoluteExpiresAt);
            await sessions.TouchAsync(active.SessionId, now, expiresAt, Context.RequestAborted);
        }

        Context.Features.Set(new AuthenticatedPrincipal(active.Principal, "session:" + active.SessionId));
        Context.Features.Set(new WebSession(active.SessionId, active.CsrfToken, expiresAt));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, active.Principal.Id), new Claim(ClaimTypes.Role, active.Principal.Role.ToString())],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (Context.Features.Get<CsrfRejection>() is { } rejection)
        {
            await audit.RecordDeniedAsync(Context, rejection.Detail, Context.RequestAborted);
            await Problems.WriteAsync(Context, CsrfProblem, rejection.Detail);
            return;
        }

        var detail = result.Failure?.Message ?? "Sign in to continue.";
        await audit.RecordAsync(
            new AuditEntry("authentication.failed", AuditOutcome.Unauthenticated, Context.Actor(), Detail: detail),
            Context.RequestAborted);
        if (result.Failure is not null)
        {
            SessionCookie.Delete(Context, sessionOptions.Value);
        }

        await Problems.WriteAsync(Context, ProblemKind.Unauthenticated, detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        const string detail = "Your role does not allow this.";
        await audit.RecordDeniedAsync(Context, detail, Context.RequestAborted);
        await Problems.WriteAsync(Context, ProblemKind.Forbidden, detail);
    }

    internal static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
