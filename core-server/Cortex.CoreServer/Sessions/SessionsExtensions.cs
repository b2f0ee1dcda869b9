using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Cortex.CoreServer.Markdown;
using Cortex.SharedModel.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.Sessions;

/// <summary>
/// Web UI sign-in: <see cref="AddCortexSessions"/> registers the session cookie as a second authentication scheme beside
/// API keys, <see cref="UseCortexSessions"/> answers CSRF failures, <see cref="MapCortexSessions"/> maps the endpoints.
/// </summary>
public static class SessionsExtensions
{
    /// <summary>The default scheme: API key when an Authorization header is present, else the session cookie if any.</summary>
    public const string CombinedScheme = "Cortex";

    public static IHostApplicationBuilder AddCortexSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionOptions>()
            .BindConfiguration(SessionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WebAppOptions>().BindConfiguration(WebAppOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<WebSessionStore>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<IPasswordHasher<Principal>, PasswordHasher<Principal>>();
        builder.Services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<WebAppRouteConstraint>(WebAppRouteConstraint.Name));

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(CombinedScheme, "API key or web session", policy => policy.ForwardDefaultSelector = SelectScheme);

        // Runs after every Configure, so it wins over the API-key-only defaults whatever the registration order.
        builder.Services.PostConfigure<AuthenticationOptions>(authentication =>
        {
            authentication.DefaultScheme = CombinedScheme;
            authentication.DefaultAuthenticateScheme = CombinedScheme;
            authentication.DefaultChallengeScheme = CombinedScheme;
            authentication.DefaultForbidScheme = CombinedScheme;
        });
        return builder;
    }

    /// <summary>After <c>UseAuthentication</c>: a cookie request that failed the CSRF check gets a 403 problem.</summary>
    public static IApplicationBuilder UseCortexSessions(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<CsrfRejection>() is { } rejection)
            {
                await Problems.WriteAsync(context, SessionAuthenticationHandler.CsrfProblem, rejection.Detail);
                return;
            }

            await next(context);
        });

    public static IEndpointRouteBuilder MapCortexSessions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1").MapSessionsApi().MapMarkdownPreviewApi();
        return endpoints;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count > 0)
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        var cookieName = context.RequestServices.GetRequiredService<IOptions<SessionOptions>>().Value.CookieName;
        return context.Request.Cookies.ContainsKey(cookieName)
            ? SessionAuthenticationHandler.SchemeName
            : ApiKeyAuthenticationHandler.SchemeName;
    }
}
