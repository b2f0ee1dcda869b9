using Cortex.Daemon.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Cortex.Daemon.Mcp;

/// <summary>The MCP server's registrations, shared by <c>cortex mcp</c> (stdio) and the daemon (streamable HTTP).</summary>
internal static class McpHosting
{
    /// <summary>Where the daemon serves MCP over streamable HTTP, behind the local API's token.</summary>
    public const string HttpPath = "/mcp";

    /// <summary>How long a write waits for the server's verdict before answering "pending".</summary>
    public static readonly TimeSpan VerdictWait = TimeSpan.FromSeconds(3);

    public static IMcpServerBuilder AddCortexMcp(this IServiceCollection services, WorkspaceSearch search, string workingDirectory)
    {
        services.AddSingleton(search);
        services.AddSingleton<WorkspaceReads>();
        services.AddSingleton(new McpWriteOptions(VerdictWait, workingDirectory));
        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "cortex", Version = "1.0.0" };
                options.ServerInstructions =
                    "Cortex is the team's shared memory. Search it before you start and cite what you use (id, kind, title); "
                    + "record what you learn with create_observation and propose lasting content with create_draft for human review.";
            })
            .WithTools<CortexTools>();
    }

    public static IEndpointConventionBuilder MapCortexMcp(this IEndpointRouteBuilder endpoints) => endpoints.MapMcp(HttpPath);
}
