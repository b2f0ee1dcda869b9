using System.ComponentModel.DataAnnotations;

namespace Cortex.CoreServer.Hosting;

/// <summary>
/// The reverse proxies (e.g. the cortex-web nginx) whose X-Forwarded-For/-Proto/-Host headers are believed. Empty by
/// default: the embedded server faces clients directly, and a header from anyone else must not make a request look
/// like HTTPS or come from another address.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Cortex:Proxy";

    /// <summary>CIDR ranges of trusted proxies, e.g. <c>172.16.0.0/12</c> for a docker-compose network.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}
