using Cortex.CoreServer.Auth;
using StackExchange.Redis;

namespace Cortex.CoreServer.Hosting;

/// <summary>
/// What lets several core-server instances share one database: the key cache follows revocations made through any
/// instance (Postgres LISTEN/NOTIFY, so it needs no Redis), and, when <c>Cortex:Redis:ConnectionString</c> is set,
/// the SignalR Redis backplane.
/// </summary>
internal static class ScaleOutExtensions
{
    public static WebApplicationBuilder AddCortexScaleOut(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KeyCacheListener>();
        services.AddHostedService(provider => provider.GetRequiredService<KeyCacheListener>());

        var options = builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            services.AddSignalR().AddStackExchangeRedis(options.ConnectionString, redis =>
            {
                redis.Configuration.ChannelPrefix = RedisChannel.Literal(options.ChannelPrefix);
                // Keep reconnecting in the background when Redis restarts or starts after the server.
                redis.Configuration.AbortOnConnectFail = false;
            });
        }

        return builder;
    }
}
