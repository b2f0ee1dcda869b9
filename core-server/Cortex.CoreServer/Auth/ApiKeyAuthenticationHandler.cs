using System.Security.Claims;
using System.Text.Encodings.Web;
using Cortex.CoreServer.Audit;
using Cortex.CoreServer.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Auth;

/// <summary>Authenticates <c>Authorization: Bearer ctx_…</c> API keys and answers 401/403 as problem details.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    KeyCache keys,
    KeyUsageTracker usage,
    AuditLog audit,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string NoCredentials = "Send an API key as 'Authorization: Bearer <key>'.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must use the Bearer scheme.");
        }

        if (!ApiKeys.TryParse(header.AsSpan(7).Trim(), out var prefix, out var secret))
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }

        var key = await keys.GetAsync(prefix, Context.RequestAborted);
        if (key is null || !ApiKeys.Matches(secret, key.SecretHash))
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }

        if (key.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            return AuthenticateResult.Fail("The API key has expired.");
        }

        if (key.Principal.Disabled)
        {
            return AuthenticateResult.Fail("The principal is disabled.");
        }

        usage.Touch(key.KeyId);
        Context.Features.Set(new AuthenticatedPrincipal(key.Principal, key.KeyId));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, key.Principal.Id), new Claim(ClaimTypes.Role, key.Principal.Role.ToString())],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? NoCredentials;
        Context.RequestServices.GetRequiredService<Observability.CortexMetrics>().AuthFailed(result.Failure?.Message);
        await audit.RecordAsync(
            new AuditEntry("authentication.failed", AuditOutcome.Unauthenticated, Context.Actor(), Detail: detail),
            Context.RequestAborted);
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, ProblemKind.Unauthenticated, detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        const string detail = "Your role does not allow this.";
        await audit.RecordDeniedAsync(Context, detail, Context.RequestAborted);
        await Problems.WriteAsync(Context, ProblemKind.Forbidden, detail);
    }
}
