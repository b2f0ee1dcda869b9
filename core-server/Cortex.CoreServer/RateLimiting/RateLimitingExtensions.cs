using System.Globalization;
using System.Threading.RateLimiting;
using Cortex.CoreServer.Auth;
using Cortex.CoreServer.Errors;
using Microsoft.Extensions.Options;

namespace Cortex.CoreServer.RateLimiting;

internal static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddCortexRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                {
                    return RateLimitPartition.GetNoLimiter("operations");
                }

                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var partition = context.Features.Get<AuthenticatedPrincipal>()?.Principal.Id is { } principalId
                    ? "principal:" + principalId
                    : "address:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TokenLimit,
                    TokensPerPeriod = options.TokensPerPeriod,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(options.PeriodSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : rejected.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PeriodSeconds;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(
                    rejected.HttpContext,
                    ProblemKind.RateLimited,
                    $"Rate limit exceeded; retry after {retryAfter} s.");
            };
        });
        return builder;
    }
}
