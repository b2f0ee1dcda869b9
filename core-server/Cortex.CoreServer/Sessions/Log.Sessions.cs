namespace Cortex.CoreServer;

/// <summary>Web UI sessions and static files: event ids 7xx.</summary>
internal static partial class Log
{
    [LoggerMessage(701, LogLevel.Information, "Serving the web UI from {Root}")]
    public static partial void WebAppServed(ILogger logger, string root);

    [LoggerMessage(702, LogLevel.Warning, "The web UI is not built (no index.html in {Searched}); run 'npm ci && npm run build' in web/ or set Cortex:Web:Root")]
    public static partial void WebAppMissing(ILogger logger, string searched);
}
