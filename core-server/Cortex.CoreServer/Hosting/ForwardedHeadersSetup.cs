using Microsoft.AspNetCore.HttpOverrides;

namespace Cortex.CoreServer.Hosting;

internal static class ForwardedHeadersSetup
{
    public static WebApplicationBuilder AddCortexProxySupport(this WebApplicationBuilder builder)
    {
        var proxy = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.ForwardLimit = proxy.ForwardLimit;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in proxy.KnownNetworks)
            {
                options.KnownIPNetworks.Add(ParseNetwork(network));
            }
        });
        return builder;
    }

    /// <summary>Believes forwarded headers only from the configured networks; with none configured this does nothing.</summary>
    public static WebApplication UseCortexProxySupport(this WebApplication app)
    {
        var proxy = app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxy.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    private static System.Net.IPNetwork ParseNetwork(string cidr) =>
        System.Net.IPNetwork.TryParse(cidr.Trim(), out var network)
            ? network
            : throw new InvalidOperationException($"{ProxyOptions.Section}:KnownNetworks has '{cidr}', which is not a CIDR range such as 10.0.0.0/8.");
}
